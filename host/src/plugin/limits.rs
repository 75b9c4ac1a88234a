//! Per-store limits: a memory cap that remembers being hit, so the error can say so.
use wasmtime::ResourceLimiter;

pub struct Limiter {
    pub memory_cap: usize,
    pub memory_hit: bool,
}

impl ResourceLimiter for Limiter {
    fn memory_growing(&mut self, _current: usize, desired: usize, _max: Option<usize>) -> wasmtime::Result<bool> {
        if desired > self.memory_cap {
            self.memory_hit = true;
            return Err(wasmtime::Error::msg(format!("memory limit of {} MiB exceeded", self.memory_cap >> 20)));
        }
        Ok(true)
    }

    fn table_growing(&mut self, _current: usize, desired: usize, _max: Option<usize>) -> wasmtime::Result<bool> {
        Ok(desired <= 1 << 20)
    }

    /// Core instances of the one component: a wasm32-unknown-unknown plugin has
    /// one; a wasm32-wasip2 build has a few more (the WASI adapter and its shims).
    fn instances(&self) -> usize {
        16
    }

    fn memories(&self) -> usize {
        1
    }

    fn tables(&self) -> usize {
        4
    }
}
