// `make bench`'s size reference: the grid an admin console would otherwise embed, React 19 +
// AG Grid Community with its community modules, showing the same five columns. Bundled and
// minified with esbuild; only its size is measured.
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { AllCommunityModule, ModuleRegistry } from 'ag-grid-community';
import { AgGridReact } from 'ag-grid-react';

ModuleRegistry.registerModules([AllCommunityModule]);

const columns = [
  { field: 'level', headerName: 'Failed On' },
  { field: 'failed_at', headerName: 'Date/Time of the failure', sort: 'desc' },
  { field: 'error_code', headerName: 'Error Type' },
  { field: 'message', headerName: 'Error Details', flex: 1 },
  { field: 'object_type', headerName: 'Object' },
];

function SyncErrors() {
  const [rows, setRows] = useState([]);
  useEffect(() => {
    fetch('/api/v1/sync-errors?limit=100').then((r) => r.json()).then((p) => setRows(p.items));
  }, []);
  return <AgGridReact rowData={rows} columnDefs={columns} pagination paginationPageSize={100} />;
}

createRoot(document.getElementById('root')).render(<StrictMode><SyncErrors /></StrictMode>);
