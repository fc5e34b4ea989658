/*
 * mteperm: FEAT_MTE_PERM (ID_AA64PFR2_EL1.MTEPERM = 1), the stage 2
 * NoTagAccess attribute, on the `mte_el1` machinery (same stage 1, EL2 and
 * snippets; see mte_el1.c, perm_tests()). QEMU 10 does not implement the
 * feature, so the golden is hand-written from the Arm ARM (see README.md).
 */
#define MTEPERM_ONLY
#include "mte_el1.c"
