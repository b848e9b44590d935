//! Snapshot tests of the `grantscope` binary: stdout, stderr and exit code of each command, format
//! and exit path.

mod adversarial;
mod baseline;
mod check;
mod collect;
mod consumers;
mod convert;
mod diff;
mod formats;
mod inventory;
mod lint;
mod manners;
mod output_safety;
mod report;
mod variants;
mod waivers;
