//! Writes a Windows registry hive file (`regf`) as Windows lays one out: a base block
//! with both sequence numbers equal and its XOR checksum, one hive bin, `nk` keys with
//! ASCII names, `lh` subkey lists, value lists, `vk` values (data of four bytes or less
//! inline, over 16344 bytes as a `db` record), for doctor's hive-reading tests.

/// A value's data.
#[derive(Clone, Debug)]
pub enum Data {
    Sz(String),
    Dword(u32),
    MultiSz(Vec<String>),
}

/// A key: its name, values and subkeys.
#[derive(Clone, Debug)]
pub struct Key {
    pub name: String,
    pub values: Vec<(String, Data)>,
    pub subkeys: Vec<Key>,
}

impl Key {
    pub fn new(name: &str) -> Key {
        Key {
            name: name.into(),
            values: Vec::new(),
            subkeys: Vec::new(),
        }
    }

    pub fn value(mut self, name: &str, data: Data) -> Key {
        self.values.push((name.into(), data));
        self
    }

    pub fn subkey(mut self, key: Key) -> Key {
        self.subkeys.push(key);
        self
    }

    /// The key at `path` below this one (`Software\Policies\Google\Chrome`), made with
    /// the path's keys where missing, then `f` applied to it.
    pub fn at(mut self, path: &str, f: impl FnOnce(Key) -> Key) -> Key {
        match path.split_once('\\') {
            _ if path.is_empty() => f(self),
            Some((first, rest)) => {
                let i = self.child(first);
                let k = self.subkeys.remove(i);
                self.subkeys.insert(i, k.at(rest, f));
                self
            }
            None => {
                let i = self.child(path);
                let k = self.subkeys.remove(i);
                self.subkeys.insert(i, f(k));
                self
            }
        }
    }

    fn child(&mut self, name: &str) -> usize {
        match self.subkeys.iter().position(|k| k.name == name) {
            Some(i) => i,
            None => {
                self.subkeys.push(Key::new(name));
                self.subkeys.len() - 1
            }
        }
    }
}

fn utf16z(s: &str) -> Vec<u8> {
    s.encode_utf16()
        .chain([0])
        .flat_map(|u| u.to_le_bytes())
        .collect()
}

struct Bin {
    data: Vec<u8>,
}

impl Bin {
    /// Appends a cell holding `record`; returns its offset (relative to the first bin).
    fn cell(&mut self, record: &[u8]) -> u32 {
        let at = self.data.len();
        let size = (4 + record.len()).div_ceil(8) * 8;
        self.data.extend_from_slice(&(-(size as i32)).to_le_bytes());
        self.data.extend_from_slice(record);
        self.data.resize(at + size, 0);
        at as u32
    }

    fn patch(&mut self, cell: u32, at: usize, v: u32) {
        let p = cell as usize + 4 + at;
        self.data[p..p + 4].copy_from_slice(&v.to_le_bytes());
    }

    fn key(&mut self, key: &Key, parent: u32) -> u32 {
        let mut nk = vec![0u8; 76];
        nk[..2].copy_from_slice(b"nk");
        nk[2..4].copy_from_slice(&0x20u16.to_le_bytes());
        nk[16..20].copy_from_slice(&parent.to_le_bytes());
        nk[20..24].copy_from_slice(&(key.subkeys.len() as u32).to_le_bytes());
        nk[28..32].copy_from_slice(&u32::MAX.to_le_bytes());
        nk[36..40].copy_from_slice(&(key.values.len() as u32).to_le_bytes());
        nk[40..44].copy_from_slice(&u32::MAX.to_le_bytes());
        nk[72..74].copy_from_slice(&(key.name.len() as u16).to_le_bytes());
        nk.extend_from_slice(key.name.as_bytes());
        let me = self.cell(&nk);
        if !key.subkeys.is_empty() {
            let subs: Vec<u32> = key.subkeys.iter().map(|k| self.key(k, me)).collect();
            let mut lh = b"lh".to_vec();
            lh.extend_from_slice(&(subs.len() as u16).to_le_bytes());
            for s in subs {
                lh.extend_from_slice(&s.to_le_bytes());
                lh.extend_from_slice(&0u32.to_le_bytes());
            }
            let list = self.cell(&lh);
            self.patch(me, 28, list);
        }
        if !key.values.is_empty() {
            let vks: Vec<u32> = key.values.iter().map(|(n, d)| self.value(n, d)).collect();
            let list: Vec<u8> = vks.iter().flat_map(|v| v.to_le_bytes()).collect();
            let list = self.cell(&list);
            self.patch(me, 40, list);
        }
        me
    }

    fn value(&mut self, name: &str, data: &Data) -> u32 {
        let (kind, bytes) = match data {
            Data::Sz(s) => (1u32, utf16z(s)),
            Data::Dword(d) => (4, d.to_le_bytes().to_vec()),
            Data::MultiSz(l) => {
                let mut b: Vec<u8> = l.iter().flat_map(|s| utf16z(s)).collect();
                b.extend_from_slice(&[0, 0]);
                (7, b)
            }
        };
        let (size, offset) = if bytes.len() <= 4 {
            let mut inline = [0u8; 4];
            inline[..bytes.len()].copy_from_slice(&bytes);
            (bytes.len() as u32 | 0x8000_0000, u32::from_le_bytes(inline))
        } else if bytes.len() > 16344 {
            let segments: Vec<u32> = bytes.chunks(16344).map(|c| self.cell(c)).collect();
            let list: Vec<u8> = segments.iter().flat_map(|s| s.to_le_bytes()).collect();
            let list = self.cell(&list);
            let mut db = b"db".to_vec();
            db.extend_from_slice(&(segments.len() as u16).to_le_bytes());
            db.extend_from_slice(&list.to_le_bytes());
            (bytes.len() as u32, self.cell(&db))
        } else {
            (bytes.len() as u32, self.cell(&bytes))
        };
        let mut vk = vec![0u8; 20];
        vk[..2].copy_from_slice(b"vk");
        vk[2..4].copy_from_slice(&(name.len() as u16).to_le_bytes());
        vk[4..8].copy_from_slice(&size.to_le_bytes());
        vk[8..12].copy_from_slice(&offset.to_le_bytes());
        vk[12..16].copy_from_slice(&kind.to_le_bytes());
        vk[16..18].copy_from_slice(&1u16.to_le_bytes());
        vk.extend_from_slice(name.as_bytes());
        self.cell(&vk)
    }
}

/// The hive file whose root key is `root`.
pub fn write(root: &Key) -> Vec<u8> {
    // The bin's 32-byte header comes first; cells follow it.
    let mut bin = Bin {
        data: vec![0u8; 32],
    };
    let root_cell = bin.key(root, 0);
    let size = bin.data.len().div_ceil(4096) * 4096;
    bin.data.resize(size, 0);
    bin.data[..4].copy_from_slice(b"hbin");
    bin.data[8..12].copy_from_slice(&(size as u32).to_le_bytes());
    let mut base = vec![0u8; 4096];
    base[..4].copy_from_slice(b"regf");
    base[4..8].copy_from_slice(&1u32.to_le_bytes());
    base[8..12].copy_from_slice(&1u32.to_le_bytes());
    base[20..24].copy_from_slice(&1u32.to_le_bytes());
    base[24..28].copy_from_slice(&5u32.to_le_bytes());
    base[36..40].copy_from_slice(&root_cell.to_le_bytes());
    base[40..44].copy_from_slice(&(size as u32).to_le_bytes());
    base[44..48].copy_from_slice(&1u32.to_le_bytes());
    let sum = base[..508].chunks_exact(4).fold(0u32, |a, c| {
        a ^ u32::from_le_bytes([c[0], c[1], c[2], c[3]])
    });
    base[508..512].copy_from_slice(&sum.to_le_bytes());
    base.extend_from_slice(&bin.data);
    base
}
