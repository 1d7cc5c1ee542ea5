//! `Global<T>`: a static the single-CPU kernel mutates with interrupts masked.

use core::cell::UnsafeCell;

#[repr(transparent)]
pub struct Global<T>(UnsafeCell<T>);

// Safety: seed-os runs on one CPU with interrupts masked; nothing else touches these statics.
unsafe impl<T> Sync for Global<T> {}

impl<T> Global<T> {
    pub const fn new(value: T) -> Self {
        Global(UnsafeCell::new(value))
    }

    pub fn ptr(&self) -> *mut T {
        self.0.get()
    }

    /// Safety: the caller holds no other reference into this static while using the result.
    #[allow(clippy::mut_from_ref)]
    pub unsafe fn get(&self) -> &mut T {
        unsafe { &mut *self.0.get() }
    }
}
