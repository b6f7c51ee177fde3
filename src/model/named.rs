//! [`Named`]: the list type of a table's columns, indexes, foreign keys and
//! checks. It keeps its items in order like a `Vec`, but copies in O(1),
//! finds, changes and removes an item by name in O(log n), and compares two
//! copies of itself in time proportional to what differs, so a statement
//! that touches one column of a wide table costs the same as on a narrow
//! one (issue 12: 50,000 `ADD COLUMN`s were quadratic).
//!
//! Names are compared ignoring ASCII case, as the model always has
//! (`eq_ignore_ascii_case`). When two items share a name (input that
//! PostgreSQL would refuse, or names that differ only in case), lookups
//! find the first, as a scan from the front would.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

/// What a [`Named`] list holds.
pub trait Item: Clone + PartialEq {
    fn name(&self) -> &str;
    fn set_name(&mut self, name: &str);
    /// Items the list also keeps a set of, to list them without a scan
    /// (AUTO_INCREMENT columns).
    fn flagged(&self) -> bool {
        false
    }
}

/// The lookup key of a name: ASCII lower case (no copy when it already is).
fn lower(name: &str) -> Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

/// The ordered, indexed form: items by insertion id (ids only grow, so id
/// order is list order and removing an item moves no other).
struct Tree<T> {
    items: imbl::OrdMap<u64, Arc<T>>,
    /// Lower-case name → id of the first item with that name.
    first: imbl::HashMap<Arc<str>, u64>,
    /// Names that more than one item has (rare).
    shared: imbl::HashSet<Arc<str>>,
    flagged: imbl::OrdSet<u64>,
    next: u64,
    /// The item last handed out by [`Named::get_mut`]: its name and flag
    /// may have changed since it was indexed (under these).
    pending: Option<(u64, Arc<str>, bool)>,
}

impl<T> Default for Tree<T> {
    fn default() -> Self {
        Tree {
            items: imbl::OrdMap::new(),
            first: imbl::HashMap::new(),
            shared: imbl::HashSet::new(),
            flagged: imbl::OrdSet::new(),
            next: 0,
            pending: None,
        }
    }
}

impl<T> Clone for Tree<T> {
    fn clone(&self) -> Self {
        Tree {
            items: self.items.clone(),
            first: self.first.clone(),
            shared: self.shared.clone(),
            flagged: self.flagged.clone(),
            next: self.next,
            pending: self.pending.clone(),
        }
    }
}

impl<T: Item> Tree<T> {
    fn build(items: impl IntoIterator<Item = Arc<T>>) -> Self {
        let mut t = Tree::default();
        for item in items {
            t.push(item);
        }
        t
    }

    fn push(&mut self, item: Arc<T>) {
        self.sync();
        let id = self.next;
        self.next += 1;
        self.index(id, &lower(item.name()), item.flagged());
        self.items.insert(id, item);
    }

    /// Index the item at `id` under `key`.
    fn index(&mut self, id: u64, key: &str, flagged: bool) {
        match self.first.get(key).copied() {
            None => {
                self.first.insert(Arc::from(key), id);
            }
            Some(other) => {
                self.shared.insert(Arc::from(key));
                if id < other {
                    self.first.insert(Arc::from(key), id);
                }
            }
        }
        if flagged {
            self.flagged.insert(id);
        }
    }

    /// Take the item at `id` (indexed under `key`) out of the indexes.
    fn unindex(&mut self, id: u64, key: &str) {
        self.flagged.remove(&id);
        if self.first.get(key) != Some(&id) {
            return;
        }
        if !self.shared.contains(key) {
            self.first.remove(key);
            return;
        }
        // A shared name: the next item with it becomes the first.
        let mut rest = self
            .items
            .iter()
            .filter(|(i, x)| **i != id && lower(x.name()) == key)
            .map(|(i, _)| *i);
        match (rest.next(), rest.next()) {
            (Some(next), more) => {
                self.first.insert(Arc::from(key), next);
                if more.is_none() {
                    self.shared.remove(key);
                }
            }
            (None, _) => {
                self.first.remove(key);
                self.shared.remove(key);
            }
        }
    }

    /// Index the item last handed out for change under its present name.
    fn sync(&mut self) {
        let Some((id, key, flagged)) = self.pending.take() else {
            return;
        };
        let Some(item) = self.items.get(&id).cloned() else {
            return;
        };
        let now = lower(item.name());
        if now != key.as_ref() || item.flagged() != flagged {
            self.unindex(id, &key);
            self.index(id, &now, item.flagged());
        }
    }

    fn remove_id(&mut self, id: u64) -> Option<Arc<T>> {
        self.sync();
        let item = self.items.get(&id)?.clone();
        self.unindex(id, &lower(item.name()));
        self.items.remove(&id)
    }

    /// The id of the first item called `name` (the indexes may be one
    /// change behind: see `pending`).
    fn id_of(&self, name: &str) -> Option<u64> {
        let key = lower(name);
        let indexed = self.first.get(key.as_ref()).copied();
        let Some((pid, _, _)) = &self.pending else {
            return indexed;
        };
        let matches = |id: &u64| {
            self.items
                .get(id)
                .is_some_and(|x| x.name().eq_ignore_ascii_case(name))
        };
        let indexed = match indexed {
            // It was renamed away: the next item with the name, if any.
            Some(id) if id == *pid && !matches(&id) => {
                if self.shared.contains(key.as_ref()) {
                    self.items.keys().find(|i| *i != pid && matches(i)).copied()
                } else {
                    None
                }
            }
            other => other,
        };
        let pending = Some(*pid).filter(matches);
        match (indexed, pending) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    fn flagged_ids(&self) -> Vec<u64> {
        let mut ids: Vec<u64> = self.flagged.iter().copied().collect();
        if let Some((pid, _, _)) = &self.pending {
            let now = self.items.get(pid).is_some_and(|x| x.flagged());
            match ids.binary_search(pid) {
                Ok(at) if !now => {
                    ids.remove(at);
                }
                Err(at) if now => ids.insert(at, *pid),
                _ => {}
            }
        }
        ids
    }
}

/// Lists this short stay a plain vector: copying and scanning it costs no
/// more than a tree would, in less memory.
const SMALL: usize = 32;

/// An ordered list of named items (see the module documentation).
pub struct Named<T> {
    /// The items while there are at most [`SMALL`] of them (`tree` unused).
    small: Option<Vec<Arc<T>>>,
    tree: Tree<T>,
    /// The items (with their ids) while [`Named::iter_mut`] may have
    /// changed them: `tree` still has them as they were, and takes the
    /// changed ones back at the next change (or [`Named::settle`]).
    loose: Option<Vec<(u64, Arc<T>)>>,
}

impl<T> Default for Named<T> {
    fn default() -> Self {
        Named {
            small: Some(Vec::new()),
            tree: Tree::default(),
            loose: None,
        }
    }
}

impl<T> Clone for Named<T> {
    fn clone(&self) -> Self {
        Named {
            small: self.small.clone(),
            tree: self.tree.clone(),
            loose: self.loose.clone(),
        }
    }
}

impl<T: Item> Named<T> {
    pub fn new() -> Self {
        Named::default()
    }

    /// Back to the indexed form after [`Named::iter_mut`] or [`Named::get_mut`].
    pub fn settle(&mut self) {
        self.tree.sync();
        let Some(items) = self.loose.take() else {
            return;
        };
        // Only the items that changed go back (the rest stay shared).
        for (id, new) in items {
            let Some(old) = self.tree.items.get(&id) else {
                continue;
            };
            if Arc::ptr_eq(old, &new) || **old == *new {
                continue;
            }
            self.tree.pending = Some((id, Arc::from(lower(old.name()).as_ref()), old.flagged()));
            self.tree.items.insert(id, new);
            self.tree.sync();
        }
    }

    pub fn len(&self) -> usize {
        if let Some(v) = &self.small {
            return v.len();
        }
        match &self.loose {
            Some(v) => v.len(),
            None => self.tree.items.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn iter(&self) -> Iter<'_, T> {
        if let Some(v) = &self.small {
            return Iter::Small(v.iter());
        }
        match &self.loose {
            Some(v) => Iter::Loose(v.iter()),
            None => Iter::Tree(self.tree.items.values()),
        }
    }

    /// Every item, to change in place (names included): the list finds by
    /// name again after the next change, or [`Named::settle`].
    pub fn iter_mut(&mut self) -> IterMut<'_, T> {
        if let Some(v) = &mut self.small {
            return IterMut::Small(v.iter_mut());
        }
        self.tree.sync();
        if self.loose.is_none() {
            let items = self.tree.items.iter().map(|(id, x)| (*id, x.clone()));
            self.loose = Some(items.collect());
        }
        IterMut::Loose(self.loose.get_or_insert_with(Vec::new).iter_mut())
    }

    /// Rename every item called `old` (any ASCII case) to `new`.
    pub fn rename(&mut self, old: &str, new: &str) {
        if let Some(v) = &mut self.small {
            for x in v.iter_mut().filter(|x| x.name().eq_ignore_ascii_case(old)) {
                Arc::make_mut(x).set_name(new);
            }
            return;
        }
        self.settle();
        let key = lower(old);
        let ids: Vec<u64> = if self.tree.shared.contains(key.as_ref()) {
            let items = self.tree.items.iter();
            items
                .filter(|(_, x)| x.name().eq_ignore_ascii_case(old))
                .map(|(id, _)| *id)
                .collect()
        } else {
            self.tree.id_of(old).into_iter().collect()
        };
        for id in ids {
            let Some(item) = self.tree.items.get_mut(&id) else {
                continue;
            };
            self.tree.pending = Some((id, Arc::from(key.as_ref()), item.flagged()));
            Arc::make_mut(item).set_name(new);
            self.tree.sync();
        }
    }

    pub fn push(&mut self, item: T) {
        match &mut self.small {
            Some(v) if v.len() < SMALL => v.push(Arc::new(item)),
            Some(v) => {
                let items = std::mem::take(v);
                self.small = None;
                self.tree = Tree::build(items);
                self.tree.push(Arc::new(item));
            }
            None => {
                self.settle();
                self.tree.push(Arc::new(item));
            }
        }
    }

    /// Remove the last item.
    pub fn pop(&mut self) -> Option<T> {
        if let Some(v) = &mut self.small {
            return v.pop().map(Arc::unwrap_or_clone);
        }
        self.settle();
        let (id, _) = self.tree.items.get_max()?;
        let id = *id;
        self.tree.remove_id(id).map(Arc::unwrap_or_clone)
    }

    pub fn first(&self) -> Option<&T> {
        self.iter().next()
    }

    pub fn last(&self) -> Option<&T> {
        self.iter().next_back()
    }

    /// The first item called `name` (any ASCII case).
    pub fn get(&self, name: &str) -> Option<&T> {
        if let Some(v) = &self.small {
            return v
                .iter()
                .find(|x| x.name().eq_ignore_ascii_case(name))
                .map(|x| &**x);
        }
        match &self.loose {
            Some(v) => v
                .iter()
                .find(|(_, x)| x.name().eq_ignore_ascii_case(name))
                .map(|(_, x)| &**x),
            None => self
                .tree
                .id_of(name)
                .and_then(|id| self.tree.items.get(&id))
                .map(|x| &**x),
        }
    }

    /// The item TiDB takes for `name`: one called `name` in any case,
    /// Unicode case included (O(log n) for an ASCII name; a non-ASCII name,
    /// rare, is looked for by a scan).
    pub fn same_to_tidb(&self, name: &str) -> Option<&T> {
        if name.is_ascii() {
            return self.get(name);
        }
        let lower = name.to_lowercase();
        self.iter().find(|x| x.name().to_lowercase() == lower)
    }

    /// The first item called `name`, to change in place (its name too).
    pub fn get_mut(&mut self, name: &str) -> Option<&mut T> {
        if self.small.is_some() {
            return self
                .small
                .iter_mut()
                .flatten()
                .find(|x| x.name().eq_ignore_ascii_case(name))
                .map(Arc::make_mut);
        }
        self.settle();
        let id = self.tree.id_of(name)?;
        let item = self.tree.items.get_mut(&id)?;
        self.tree.pending = Some((id, Arc::from(lower(item.name()).as_ref()), item.flagged()));
        Some(Arc::make_mut(item))
    }

    /// Remove every item called `name` (any ASCII case); returns them in order.
    pub fn remove(&mut self, name: &str) -> Vec<T> {
        if let Some(v) = &mut self.small {
            let (gone, kept): (Vec<_>, Vec<_>) = std::mem::take(v)
                .into_iter()
                .partition(|x| x.name().eq_ignore_ascii_case(name));
            *v = kept;
            return gone.into_iter().map(Arc::unwrap_or_clone).collect();
        }
        self.settle();
        let mut removed = Vec::new();
        while let Some(id) = self.tree.id_of(name) {
            match self.tree.remove_id(id) {
                Some(x) => removed.push(Arc::unwrap_or_clone(x)),
                None => break,
            }
        }
        removed
    }

    /// Keep the items for which `keep` is true.
    pub fn retain(&mut self, mut keep: impl FnMut(&T) -> bool) {
        if let Some(v) = &mut self.small {
            v.retain(|x| keep(x));
            return;
        }
        self.settle();
        let gone: Vec<u64> = self
            .tree
            .items
            .iter()
            .filter(|(_, x)| !keep(x))
            .map(|(id, _)| *id)
            .collect();
        for id in gone {
            self.tree.remove_id(id);
        }
    }

    /// The flagged items ([`Item::flagged`]), in order.
    pub fn flagged(&self) -> Vec<&T> {
        if let Some(v) = &self.small {
            return v.iter().filter(|x| x.flagged()).map(|x| &**x).collect();
        }
        match &self.loose {
            Some(v) => v
                .iter()
                .filter(|(_, x)| x.flagged())
                .map(|(_, x)| &**x)
                .collect(),
            None => self
                .tree
                .flagged_ids()
                .iter()
                .filter_map(|id| self.tree.items.get(id))
                .map(|x| &**x)
                .collect(),
        }
    }

    /// The items of `self` that are new or changed since `old` (a copy
    /// `self` was made from), in time proportional to the difference;
    /// `None` when either is not in the indexed form (then compare all).
    pub fn changed_since<'a>(&'a self, old: &'a Named<T>) -> Option<Vec<&'a T>>
    where
        T: PartialEq,
    {
        if let (Some(new), Some(old)) = (&self.small, &old.small) {
            // Position by position (a short list is cheap to compare).
            let same =
                |i: usize, x: &Arc<T>| old.get(i).is_some_and(|o| Arc::ptr_eq(o, x) || **o == **x);
            return Some(
                new.iter()
                    .enumerate()
                    .filter(|(i, x)| !same(*i, x))
                    .map(|(_, x)| &**x)
                    .collect(),
            );
        }
        if self.small.is_some() || old.small.is_some() {
            return None;
        }
        if self.loose.is_some() || old.loose.is_some() {
            return None;
        }
        Some(
            old.tree
                .items
                .diff(&self.tree.items)
                .filter_map(|d| match d {
                    imbl::ordmap::DiffItem::Add(_, x)
                    | imbl::ordmap::DiffItem::Update { new: (_, x), .. } => Some(&**x),
                    imbl::ordmap::DiffItem::Remove(..) => None,
                })
                .collect(),
        )
    }

    pub fn to_vec(&self) -> Vec<T> {
        self.iter().cloned().collect()
    }
}

/// [`Named::iter`].
pub enum Iter<'a, T> {
    Small(std::slice::Iter<'a, Arc<T>>),
    Tree(imbl::ordmap::Values<'a, u64, Arc<T>, imbl::shared_ptr::DefaultSharedPtr>),
    Loose(std::slice::Iter<'a, (u64, Arc<T>)>),
}

impl<'a, T> Iterator for Iter<'a, T> {
    type Item = &'a T;
    fn next(&mut self) -> Option<&'a T> {
        match self {
            Iter::Small(it) => it.next().map(|x| &**x),
            Iter::Tree(it) => it.next().map(|x| &**x),
            Iter::Loose(it) => it.next().map(|(_, x)| &**x),
        }
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            Iter::Small(it) => it.size_hint(),
            Iter::Tree(it) => it.size_hint(),
            Iter::Loose(it) => it.size_hint(),
        }
    }
}

impl<T> DoubleEndedIterator for Iter<'_, T> {
    fn next_back(&mut self) -> Option<Self::Item> {
        match self {
            Iter::Small(it) => it.next_back().map(|x| &**x),
            Iter::Tree(it) => it.next_back().map(|x| &**x),
            Iter::Loose(it) => it.next_back().map(|(_, x)| &**x),
        }
    }
}

impl<'a, T: Item> IntoIterator for &'a Named<T> {
    type Item = &'a T;
    type IntoIter = Iter<'a, T>;
    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}

/// [`Named::iter_mut`].
pub enum IterMut<'a, T> {
    Small(std::slice::IterMut<'a, Arc<T>>),
    Loose(std::slice::IterMut<'a, (u64, Arc<T>)>),
}

impl<'a, T: Clone> Iterator for IterMut<'a, T> {
    type Item = &'a mut T;
    fn next(&mut self) -> Option<&'a mut T> {
        match self {
            IterMut::Small(it) => it.next().map(Arc::make_mut),
            IterMut::Loose(it) => it.next().map(|(_, x)| Arc::make_mut(x)),
        }
    }
}

impl<'a, T: Item> IntoIterator for &'a mut Named<T> {
    type Item = &'a mut T;
    type IntoIter = IterMut<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
}

impl<T: Item> IntoIterator for Named<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        let items: Vec<Arc<T>> = match (self.small, self.loose) {
            (Some(v), _) => v,
            (None, Some(v)) => v.into_iter().map(|(_, x)| x).collect(),
            (None, None) => self.tree.items.into_iter().map(|(_, x)| x).collect(),
        };
        items
            .into_iter()
            .map(Arc::unwrap_or_clone)
            .collect::<Vec<T>>()
            .into_iter()
    }
}

impl<T: Item> FromIterator<T> for Named<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let items: Vec<Arc<T>> = iter.into_iter().map(Arc::new).collect();
        if items.len() <= SMALL {
            return Named {
                small: Some(items),
                ..Named::default()
            };
        }
        Named {
            small: None,
            tree: Tree::build(items),
            loose: None,
        }
    }
}

impl<T: Item> Extend<T> for Named<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        for x in iter {
            self.push(x);
        }
    }
}

impl<T: Item> From<Vec<T>> for Named<T> {
    fn from(v: Vec<T>) -> Self {
        v.into_iter().collect()
    }
}

impl<T: Item + PartialEq> PartialEq for Named<T> {
    /// Equal when the items are, in order (not their ids). Two copies of one
    /// list compare in time proportional to what differs.
    fn eq(&self, other: &Self) -> bool {
        if self.len() != other.len() {
            return false;
        }
        if let (Some(a), Some(b)) = (&self.small, &other.small) {
            return a
                .iter()
                .zip(b)
                .all(|(x, y)| Arc::ptr_eq(x, y) || **x == **y);
        }
        if self.small.is_none()
            && other.small.is_none()
            && self.loose.is_none()
            && other.loose.is_none()
        {
            let (a, b) = (&self.tree.items, &other.tree.items);
            if a.ptr_eq(b) {
                return true;
            }
            // Same ids: equal unless a value differs. Different ids (an
            // item removed and another added): compare the items in order.
            match a.diff(b).next() {
                None => return true,
                Some(imbl::ordmap::DiffItem::Update { .. }) => return false,
                Some(_) => {}
            }
        }
        self.iter().eq(other.iter())
    }
}

impl<T: Item + Eq> Eq for Named<T> {}

impl<T: Item + fmt::Debug> fmt::Debug for Named<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<T: Item + serde::Serialize> serde::Serialize for Named<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de, T: Item + serde::Deserialize<'de>> serde::Deserialize<'de> for Named<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Vec::<T>::deserialize(d).map(Named::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, PartialEq, Eq)]
    struct X(String, bool);
    impl Item for X {
        fn name(&self) -> &str {
            &self.0
        }
        fn set_name(&mut self, name: &str) {
            self.0 = name.into();
        }
        fn flagged(&self) -> bool {
            self.1
        }
    }
    fn x(n: &str) -> X {
        X(n.into(), false)
    }
    fn names(l: &Named<X>) -> Vec<&str> {
        l.iter().map(|x| x.0.as_str()).collect()
    }

    /// A list of these items behind `SMALL` fillers (so it is a tree) or not.
    fn list(big: bool, items: Vec<X>) -> Named<X> {
        let mut l = Named::new();
        if big {
            for i in 0..=SMALL {
                l.push(x(&format!("filler{i}")));
            }
        }
        l.extend(items);
        l.retain(|i| !i.0.starts_with("filler"));
        assert_eq!(l.small.is_none(), big);
        l
    }

    #[test]
    fn behaves_like_a_vec_searched_from_the_front() {
        for big in [false, true] {
            vec_like(big);
        }
    }

    fn vec_like(big: bool) {
        let mut l = list(big, vec![x("a"), x("B"), x("c"), x("b")]);
        assert_eq!(l.get("b").unwrap().0, "B", "the first of a shared name");
        assert_eq!(l.remove("B").len(), 2);
        assert_eq!(names(&l), ["a", "c"]);
        assert!(l.get("b").is_none());
        l.push(x("d"));
        l.get_mut("A").unwrap().0 = "e".into();
        assert_eq!(l.get("e").unwrap().0, "e", "found before the next change");
        assert!(l.get("a").is_none());
        assert_eq!(names(&l), ["e", "c", "d"]);
        assert!(l.get("a").is_none());
        assert_eq!(l.get("E").unwrap().0, "e");
        // Renamed onto a name another item has: the earlier one is found.
        l.get_mut("d").unwrap().0 = "C".into();
        assert_eq!(l.get("c").unwrap().0, "c");
        l.remove("c");
        assert!(l.get("c").is_none(), "both items called c went");
        for it in l.iter_mut() {
            it.0 = it.0.to_uppercase();
        }
        assert_eq!(l.get("e").unwrap().0, "E");
        let before = l.clone();
        l.settle();
        assert_eq!(l, before);
        assert_eq!(l.get("e").unwrap().0, "E");
        l.push(X("f".into(), true));
        l.push(X("g".into(), true));
        l.get_mut("f").unwrap().1 = false;
        assert_eq!(l.flagged(), [&X("g".into(), true)]);
        l.retain(|i| i.0 != "E");
        assert_eq!(names(&l), ["f", "g"]);
        assert_eq!(l.last().unwrap().0, "g");
        assert_eq!(l.pop().unwrap().0, "g");
        assert!(l.get("g").is_none() && l.flagged().is_empty());
        l.extend([x("h"), x("F")]);
        l.rename("f", "k");
        assert_eq!(names(&l), ["k", "h", "k"]);
        assert!(l.get("f").is_none());
        l.rename("K", "k");
        assert_eq!(l.remove("k").len(), 2);
        assert_eq!(names(&l), ["h"]);
    }

    #[test]
    fn copies_compare_by_their_items_in_order() {
        for big in [false, true] {
            compare(big);
        }
    }

    fn compare(big: bool) {
        let a = list(big, vec![x("a"), x("b")]);
        let mut b = a.clone();
        assert_eq!(a, b);
        b.get_mut("a").unwrap().0 = "a".into();
        assert_eq!(a, b, "an unchanged item written back");
        b.get_mut("a").unwrap().1 = true;
        assert_ne!(a, b);
        let mut c = a.clone();
        c.remove("b");
        c.push(x("b"));
        assert_eq!(a, c, "same items under other ids");
        c.remove("a");
        c.push(x("a"));
        assert_ne!(a, c, "other order");
        let changed = c.changed_since(&a).unwrap();
        assert_eq!(changed, [&x("b"), &x("a")]);
    }
}
