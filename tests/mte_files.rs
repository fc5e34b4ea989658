//! `--memory-file` / `--tag-file`: guest RAM and its MTE tags in shared file mappings
//! outlive the run (the `mtefile` guest stores data and tags, a second run reads them
//! back), and bad files are clear errors before the guest starts.

mod common;

use common::{guest, hypsim, hypsim_interrupted, tmp};

fn run(extra: &[&str]) -> std::process::Output {
    let elf = guest("mtefile");
    let mut args = vec!["run", "--kernel", elf.to_str().unwrap()];
    args.extend_from_slice(extra);
    hypsim(&args)
}

fn stdout(o: &std::process::Output) -> String {
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn data_and_tags_survive_into_a_second_run() {
    let (mem, tags) = (tmp("mtefile.mem"), tmp("mtefile.tags"));
    let _ = std::fs::remove_file(&mem);
    let _ = std::fs::remove_file(&tags);
    let files = [
        "--memory-file",
        mem.to_str().unwrap(),
        "--tag-file",
        tags.to_str().unwrap(),
    ];
    let first = stdout(&run(&files));
    assert!(first.contains("stored 15 granules"), "{first}");
    assert_eq!(std::fs::metadata(&mem).unwrap().len(), 1 << 30);
    assert_eq!(std::fs::metadata(&tags).unwrap().len(), (1 << 30) / 32);
    let second = stdout(&run(&files));
    assert!(second.contains("found data and tags"), "{second}");
    for i in 1..16u64 {
        let line = format!(
            "granule {i:#x}: tag {i:#x} data {:#018x}",
            0x1111_1111_1111_1111u64 * i
        );
        assert!(second.contains(&line), "missing {line:?} in\n{second}");
    }
    // The memory file alone keeps the data; without a tag file the tags start at zero.
    let data_only = stdout(&run(&files[..2]));
    assert!(data_only.contains("granule 0x5: tag 0x0 data 0x5555555555555555"));
    // A fresh run without files starts from zeroed RAM.
    assert!(stdout(&run(&[])).contains("stored 15 granules"));
    for f in [mem, tags] {
        let _ = std::fs::remove_file(f);
    }
}

#[test]
fn bad_backing_files_are_clear_errors() {
    let mem = tmp("mtefile-size.mem");
    std::fs::write(&mem, vec![1u8; 4096]).unwrap();
    let m = mem.to_str().unwrap();
    let cases: [(&[&str], &str); 4] = [
        (
            &["--memory-file", m],
            "is 4096 bytes, but 1073741824 bytes are needed",
        ),
        (
            // 1 GiB of RAM needs 32 MiB of tags (4 bits per 16-byte granule).
            &["--tag-file", m],
            "is 4096 bytes, but 33554432 bytes are needed",
        ),
        (
            &["--mte", "off", "--tag-file", "/tmp/t"],
            "--tag-file needs --mte on",
        ),
        (
            &["--memory-file", "/nonexistent/dir/mem"],
            "memory file /nonexistent/dir/mem",
        ),
    ];
    for (args, want) in cases {
        let o = run(args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
        assert!(o.stdout.is_empty(), "{args:?}: the guest must not start");
    }
    assert_eq!(
        std::fs::read(&mem).unwrap(),
        vec![1u8; 4096],
        "a refused file is left as it was"
    );
    let _ = std::fs::remove_file(mem);
}

#[test]
fn ctrl_c_leaves_both_files_whole() {
    // Interrupted mid-run, hypsim still exits through its normal path (130): the files
    // keep their sizes and what the loader put in RAM (the guest's first instruction).
    let (mem, tags) = (tmp("sigint.mem"), tmp("sigint.tags"));
    // ~300 M SIMD instructions, which run through their handlers even with the JIT
    // (over ten seconds): still running when interrupted.
    let elf = guest("bench-simd");
    hypsim_interrupted(
        &[
            "run",
            "--kernel",
            elf.to_str().unwrap(),
            "--memory-file",
            mem.to_str().unwrap(),
            "--tag-file",
            tags.to_str().unwrap(),
        ],
        500,
    );
    assert_eq!(std::fs::metadata(&mem).unwrap().len(), 1 << 30);
    assert_eq!(std::fs::metadata(&tags).unwrap().len(), (1 << 30) / 32);
    // The ELF's entry point (its e_entry, a RAM address) holds its first instruction.
    let image = std::fs::read(&elf).unwrap();
    let entry = u64::from_le_bytes(image[24..32].try_into().unwrap());
    let phoff = u64::from_le_bytes(image[32..40].try_into().unwrap()) as usize;
    let (p_offset, p_vaddr) = (
        u64::from_le_bytes(image[phoff + 8..phoff + 16].try_into().unwrap()),
        u64::from_le_bytes(image[phoff + 16..phoff + 24].try_into().unwrap()),
    );
    let want = &image[(p_offset + entry - p_vaddr) as usize..][..4];
    let mut got = [0u8; 4];
    let mut f = std::fs::File::open(&mem).unwrap();
    std::io::Seek::seek(&mut f, std::io::SeekFrom::Start(entry - 0x4000_0000)).unwrap();
    std::io::Read::read_exact(&mut f, &mut got).unwrap();
    assert_eq!(&got[..], want, "entry {entry:#x}");
    for f in [mem, tags] {
        let _ = std::fs::remove_file(f);
    }
}
