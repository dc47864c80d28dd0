//! Not written yet.

use super::Functions;

pub(crate) fn register(_f: &mut Functions) {}
