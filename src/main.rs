fn main() {
    console_error_panic_hook::set_once();
    sync_errors::shell::embed::define_element();
}
