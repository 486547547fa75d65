//! Operations: what an admin sees from outside a running bot. Health of each part (`/healthz`),
//! Prometheus metrics (`/metrics`), the admin HTTP server that serves them, and the tiny client
//! the Docker health check runs (`studybot healthcheck`).
//!
//! Health and metrics are process-wide, like the `metrics` facade itself: adapters and the
//! scheduler report into them without the core knowing.

pub mod commands;
pub mod health;
pub mod http;
pub mod metrics;

pub use health::{Health, HealthWindows, health};
