fn main() {
    console_error_panic_hook::set_once();
    sync_errors::embed::define_element();
}
