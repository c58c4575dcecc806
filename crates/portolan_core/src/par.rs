//! Data parallelism for large inputs: scoped threads natively, one thread
//! in WebAssembly (where the same calls run in order).

/// How many threads a request for `requested` gets (0: one per core).
pub fn threads(requested: usize) -> usize {
    if requested > 0 {
        return requested;
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(16))
    }
    #[cfg(target_arch = "wasm32")]
    {
        1
    }
}

/// `f` over every item on up to `threads` threads (this one included),
/// the results in item order. Items are handed out one at a time, so
/// uneven items even out.
pub fn map<T: Sync, R: Send>(items: &[T], threads: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    if threads <= 1 || items.len() <= 1 || cfg!(target_arch = "wasm32") {
        return items.iter().map(f).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(item) = items.get(i) else {
                return done;
            };
            done.push((i, f(item)));
        }
    };
    let mut results: Vec<Option<R>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    std::thread::scope(|scope| {
        // A thread the system refuses (a process or memory limit) is simply
        // not there: the threads that are take its share.
        let helpers: Vec<_> = (1..threads.min(items.len()))
            .filter_map(|_| std::thread::Builder::new().spawn_scoped(scope, work).ok())
            .collect();
        let mut done = work();
        for h in helpers {
            match h.join() {
                Ok(d) => done.extend(d),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        for (i, r) in done {
            results[i] = Some(r);
        }
    });
    results.into_iter().flatten().collect()
}

/// `a` and `b`, side by side when `threads` allows.
pub fn join<A: Send, B: Send>(
    threads: usize,
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    if threads <= 1 || cfg!(target_arch = "wasm32") {
        return (a(), b());
    }
    // `a` waits in a slot: a helper thread takes it, or, if the system
    // refuses the thread, this one runs it after `b`.
    let slot = std::sync::Mutex::new(Some(a));
    let take = || slot.lock().ok().and_then(|mut a| a.take());
    std::thread::scope(|scope| {
        let helper = std::thread::Builder::new()
            .spawn_scoped(scope, || take().map(|a| a()))
            .ok();
        let b = b();
        let a = match helper.map(std::thread::ScopedJoinHandle::join) {
            Some(Ok(a)) => a,
            Some(Err(panic)) => std::panic::resume_unwind(panic),
            None => None,
        };
        match a.or_else(|| take().map(|a| a())) {
            Some(a) => (a, b),
            None => unreachable!("`a` runs on one thread or the other"),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_keeps_item_order_on_any_number_of_threads() {
        let items: Vec<u64> = (0..1000).collect();
        for threads in [1, 2, 3, 8] {
            let out = map(&items, threads, |&i| i * i);
            assert_eq!(out, items.iter().map(|i| i * i).collect::<Vec<_>>());
        }
        assert_eq!(join(2, || 1, || 2), (1, 2));
    }
}
