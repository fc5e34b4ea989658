//! The file-level API: reading from disk and path-naming errors.

use std::path::{Path, PathBuf};

use super::build::*;
use crate::{load_file, load_kernel, Kernel, LoadError};

/// A file in a temporary directory of its own, both removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, contents: &[u8]) -> Self {
        let dir = std::env::temp_dir().join(format!("hypsim-loader-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, contents).unwrap();
        TempFile(path)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
        if let Some(dir) = self.0.parent() {
            let _ = std::fs::remove_dir(dir);
        }
    }
}

#[test]
fn loads_kernel_from_file() {
    let file = TempFile::new("sample.elf", &sample_elf());
    assert!(matches!(
        load_kernel(file.path(), false),
        Ok(Kernel::Elf { .. })
    ));
    assert!(matches!(
        load_kernel(file.path(), true),
        Ok(Kernel::Raw { .. })
    ));
}

#[test]
fn missing_kernel_names_path() {
    let path = Path::new("/nonexistent/hypsim/kernel.elf");
    let err = load_kernel(path, false).unwrap_err();
    assert!(matches!(err, LoadError::Read { .. }));
    assert_eq!(
        err.to_string(),
        "kernel /nonexistent/hypsim/kernel.elf: cannot read: No such file or directory"
    );
}

#[test]
fn bad_kernel_names_path_and_problem() {
    let file = TempFile::new("nosegs.elf", &elf64(EXEC, AARCH64, 0, &[], &[]));
    let err = load_kernel(file.path(), false).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "kernel {}: ELF has no loadable segments",
            file.path().display()
        )
    );
}

#[test]
fn unknown_kernel_suggests_load_addr() {
    let file = TempFile::new("junk.bin", b"not a kernel at all");
    let err = load_kernel(file.path(), false).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "kernel {}: not an ELF64 AArch64 executable, an arm64 Image or a gzip-compressed \
             Image (use --load-addr to load a raw binary)",
            file.path().display()
        )
    );
}

#[test]
fn load_file_reads_bytes() {
    let file = TempFile::new("initrd.img", b"initrd");
    assert_eq!(load_file(file.path()).unwrap(), b"initrd");
}

#[test]
fn load_file_error_names_path() {
    let err = load_file(Path::new("/nonexistent/hypsim/initrd")).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("file /nonexistent/hypsim/initrd: cannot read: "),
        "{err}"
    );
}
