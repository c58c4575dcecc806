//! The facade's tests under wasm-bindgen-test in Node.

#![cfg(target_arch = "wasm32")]

mod cases;
