#[test]
fn stub() {
    use aarchmrs_instructions::A64::dpimm::addsub_imm::ADD_32_addsub_imm as m;
    assert_eq!(m::OPCODE & !m::OPCODE_MASK, 0);
}
