//! Unit tests, one file per format, on byte buffers built by hand.

mod build;
mod elf;
mod files;
mod gzip;
mod image;
mod never_panics;
mod raw;
