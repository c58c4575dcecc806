use portolan_core::source::Source;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    let sources = vec![Source::new("a.yaml", text)];
    let limits = portolan_core::yaml::Limits::default();
    for pb in [256 << 10, 1usize, 256 << 10, 1] {
        let t = std::time::Instant::now();
        let r = portolan_core::read::read_in_pieces(&sources, &limits, "default", 1, pb);
        println!("piece {pb}: {:?} objects {}", t.elapsed(), r.objects.len());
    }
}
