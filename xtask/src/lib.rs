//! Library half of `cargo xtask`, so its checks can be tested.

pub mod codegen;
pub mod docs;
pub mod spec;
