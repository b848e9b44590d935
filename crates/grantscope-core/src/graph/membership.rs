//! Transitive group membership, computed lazily per group with an iterative depth-first search
//! that remembers visited groups, so nesting cycles terminate and deep chains cannot overflow
//! the stack. Only groups a rule asks about are ever expanded.
//!
//! Complexity: building the direct structure is O(G + M) for G groups and M membership entries.
//! Expanding one group costs O(g + e + m log m), where g and e are the groups and nesting edges
//! reachable from it and m the direct user memberships of those groups; each group is expanded
//! at most once (the `OnceCell` memo), whoever asks. The total is bounded by the size of the
//! closures materialised (output-sensitive), never by (groups asked about) × (policies asking).

use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};

use super::{AccessGraph, UserIdx};
use crate::model::{ObjectKind, ObjectRef, Snapshot};

/// The closure of one group.
#[derive(Debug, Default)]
pub(crate) struct Closure<'s> {
    pub(crate) users: Vec<UserIdx>,
    pub(crate) descendants: Vec<&'s str>,
}

/// Direct structure of every group, plus a lazily filled closure cache.
#[derive(Debug, Default)]
pub(crate) struct Membership<'s> {
    children: HashMap<&'s str, Vec<&'s str>>,
    direct_users: HashMap<&'s str, Vec<UserIdx>>,
    cache: HashMap<&'s str, OnceCell<Closure<'s>>>,
}

fn is_group(s: &Snapshot, m: &ObjectRef) -> bool {
    m.kind == ObjectKind::Group || (m.kind == ObjectKind::Unknown && s.groups.contains_key(&m.id))
}

impl<'s> Membership<'s> {
    pub(crate) fn new(s: &'s Snapshot, user_index: &HashMap<&'s str, UserIdx>) -> Self {
        let mut m = Membership::default();
        for g in s.groups.values() {
            let mut children = Vec::new();
            let mut users = Vec::new();
            for member in g
                .members
                .iter()
                .chain(g.transitive_members.iter())
                .flatten()
            {
                if is_group(s, member) {
                    children.push(member.id.as_str());
                } else if let Some(u) = user_index.get(member.id.as_str()) {
                    users.push(*u);
                }
            }
            children.sort_unstable();
            children.dedup();
            users.sort_unstable();
            users.dedup();
            m.children.insert(g.id.as_str(), children);
            m.direct_users.insert(g.id.as_str(), users);
            m.cache.insert(g.id.as_str(), OnceCell::new());
        }
        m
    }

    pub(crate) fn closure(&self, group: &str) -> Option<&Closure<'s>> {
        let cell = self.cache.get(group)?;
        Some(cell.get_or_init(|| self.expand(group)))
    }

    fn expand(&self, root: &str) -> Closure<'s> {
        let mut users: Vec<UserIdx> = Vec::new();
        let mut seen: HashSet<&'s str> = HashSet::new();
        let mut descendants = Vec::new();
        let mut stack: Vec<&'s str> = Vec::new();
        if let Some((key, _)) = self.children.get_key_value(root) {
            stack.push(key);
            seen.insert(key);
        }
        while let Some(g) = stack.pop() {
            if g != root {
                descendants.push(g);
            }
            users.extend_from_slice(self.direct_users.get(g).map_or(&[], Vec::as_slice));
            for child in self.children.get(g).map_or(&[][..], Vec::as_slice) {
                if seen.insert(child) {
                    stack.push(child);
                }
            }
        }
        users.sort_unstable();
        users.dedup();
        descendants.sort_unstable();
        Closure { users, descendants }
    }
}

pub(crate) fn compute(g: &mut AccessGraph<'_>) {
    g.membership = Membership::new(g.snapshot, &g.user_index);
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::graph::AccessGraph;
    use crate::model::{Group, ObjectKind, ObjectRef, Snapshot, User};

    fn member(id: &str, kind: ObjectKind) -> ObjectRef {
        ObjectRef {
            id: id.into(),
            kind,
        }
    }

    #[test]
    fn nesting_cycles_terminate_and_resolve() {
        let mut s = Snapshot::default();
        for u in ["u1", "u2"] {
            s.users.insert(
                u.into(),
                User {
                    id: u.into(),
                    ..User::default()
                },
            );
        }
        s.groups.insert(
            "a".into(),
            Group {
                id: "a".into(),
                members: Some(vec![
                    member("b", ObjectKind::Group),
                    member("u1", ObjectKind::User),
                ]),
                ..Group::default()
            },
        );
        s.groups.insert(
            "b".into(),
            Group {
                id: "b".into(),
                members: Some(vec![
                    member("a", ObjectKind::Group),
                    member("u2", ObjectKind::User),
                ]),
                ..Group::default()
            },
        );
        let g = AccessGraph::build(&s, &Config::default());
        assert_eq!(g.group_users("a"), g.group_users("b"));
        assert_eq!(g.group_users("a").len(), 2);
        assert_eq!(g.group_descendants("a"), ["b"]);
    }

    #[test]
    fn long_chains_do_not_overflow() {
        let mut s = Snapshot::default();
        s.users.insert(
            "u".into(),
            User {
                id: "u".into(),
                ..User::default()
            },
        );
        let n = 50_000;
        for i in 0..n {
            let mut members = vec![];
            if i + 1 < n {
                members.push(member(&format!("g{:06}", i + 1), ObjectKind::Group));
            } else {
                members.push(member("u", ObjectKind::User));
            }
            let id = format!("g{i:06}");
            s.groups.insert(
                id.clone(),
                Group {
                    id,
                    members: Some(members),
                    ..Group::default()
                },
            );
        }
        let g = AccessGraph::build(&s, &Config::default());
        assert_eq!(g.group_users("g000000").len(), 1);
    }
}
