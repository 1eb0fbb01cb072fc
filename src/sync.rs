//! One policy for poisoned locks.

use std::sync::{Mutex, MutexGuard, PoisonError};

/// Locks `m`, taking the data even when a thread panicked while holding it. What qili's locks
/// guard (the preview's reload state, the last good site, findings, files being saved, the
/// renderer's spare contexts and page texts, the clause cache, the written-files record) is
/// replaced whole or changed in one assignment, so it stays valid after a panic; refusing it
/// would turn one panicking request into a server that answers nobody.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_poisoned_lock_still_gives_its_data() {
        let m = std::sync::Arc::new(Mutex::new(1));
        let m2 = std::sync::Arc::clone(&m);
        let _ = std::thread::spawn(move || {
            let mut g = m2.lock().unwrap();
            *g = 2;
            panic!("handler panicked");
        })
        .join();
        assert!(m.is_poisoned());
        assert_eq!(*lock(&m), 2);
    }
}
