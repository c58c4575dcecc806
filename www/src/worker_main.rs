//! Entry point of the analysis Web Worker (see `worker.rs`).

use gloo::worker::Registrable;

fn main() {
    portolan_www::worker::AnalysisWorker::registrar()
        .encoding::<portolan_www::worker::Json>()
        .register();
}
