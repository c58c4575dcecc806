//! Entry point of the web app.

fn main() {
    yew::Renderer::<portolan_www::App>::new().render();
}
