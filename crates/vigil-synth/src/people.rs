//! Synthetic person records with known duplicates (FEBRL-style columns plus phone and e-mail):
//! households that share a surname and an address, people who moved, typos, nicknames,
//! transliteration variants, missing fields, swapped day/month, shared hub addresses and phones.
//! Seeded and streaming; fictional phone numbers only (NPA-555-01XX) and reserved e-mail domains.

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::io::{self, Write};

/// Generator settings.
#[derive(Clone, Debug)]
pub struct PeopleConfig {
    /// Number of records to emit.
    pub count: u64,
    pub seed: u64,
}

/// CSV header of the records file.
pub const HEADER: &str =
    "rec_id,given_name,surname,street_number,address_1,address_2,suburb,postcode,state,date_of_birth,soc_sec_id,phone,email";

/// One emitted record and the entity it belongs to.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PersonRecord {
    pub rec_id: String,
    pub entity_id: String,
    pub given_name: String,
    pub surname: String,
    pub street_number: String,
    pub address_1: String,
    pub address_2: String,
    pub suburb: String,
    pub postcode: String,
    pub state: String,
    pub date_of_birth: String,
    pub soc_sec_id: String,
    pub phone: String,
    pub email: String,
}

const GIVEN_F: &[&str] = &[
    "mary",
    "patricia",
    "jennifer",
    "linda",
    "elizabeth",
    "barbara",
    "susan",
    "jessica",
    "sarah",
    "karen",
    "nancy",
    "lisa",
    "margaret",
    "sandra",
    "ashley",
    "emily",
    "donna",
    "michelle",
    "dorothy",
    "carol",
    "amanda",
    "melissa",
    "deborah",
    "stephanie",
    "rebecca",
    "laura",
    "sharon",
    "cynthia",
    "kathleen",
    "amy",
    "shirley",
    "angela",
    "helen",
    "anna",
    "brenda",
    "pamela",
    "nicole",
    "samantha",
    "katherine",
    "christine",
    "emma",
    "catherine",
    "rachel",
    "victoria",
    "maria",
    "olga",
    "natalia",
    "yelena",
    "tatiana",
    "svetlana",
    "fatima",
    "aisha",
    "mei",
    "ling",
    "thi",
    "lan",
    "sofia",
    "isabella",
    "camila",
    "valentina",
    "lucia",
    "ana",
    "rosa",
    "carmen",
    "jose",
    "guadalupe",
    "jasmine",
    "abigail",
    "madison",
    "chloe",
    "grace",
    "zoe",
    "lily",
    "hannah",
    "alexandra",
    "natasha",
    "irina",
    "ekaterina",
];
const GIVEN_M: &[&str] = &[
    "james",
    "robert",
    "john",
    "michael",
    "david",
    "william",
    "richard",
    "joseph",
    "thomas",
    "charles",
    "christopher",
    "daniel",
    "matthew",
    "anthony",
    "mark",
    "donald",
    "steven",
    "paul",
    "andrew",
    "joshua",
    "kenneth",
    "kevin",
    "brian",
    "george",
    "timothy",
    "ronald",
    "edward",
    "jason",
    "jeffrey",
    "ryan",
    "jacob",
    "gary",
    "nicholas",
    "eric",
    "jonathan",
    "stephen",
    "larry",
    "justin",
    "scott",
    "brandon",
    "benjamin",
    "samuel",
    "gregory",
    "alexander",
    "patrick",
    "frank",
    "raymond",
    "jack",
    "dennis",
    "jerry",
    "tyler",
    "aaron",
    "henry",
    "peter",
    "dmitri",
    "sergei",
    "aleksandr",
    "mikhail",
    "yuri",
    "ivan",
    "mohammed",
    "ahmed",
    "yusuf",
    "omar",
    "ali",
    "hassan",
    "wei",
    "jun",
    "minh",
    "duc",
    "juan",
    "carlos",
    "luis",
    "miguel",
    "jorge",
    "pedro",
    "alejandro",
    "diego",
    "liam",
    "noah",
];
const SURNAMES: &[&str] = &[
    "smith",
    "johnson",
    "williams",
    "brown",
    "jones",
    "garcia",
    "miller",
    "davis",
    "rodriguez",
    "martinez",
    "hernandez",
    "lopez",
    "gonzalez",
    "wilson",
    "anderson",
    "thomas",
    "taylor",
    "moore",
    "jackson",
    "martin",
    "lee",
    "perez",
    "thompson",
    "white",
    "harris",
    "sanchez",
    "clark",
    "ramirez",
    "lewis",
    "robinson",
    "walker",
    "young",
    "allen",
    "king",
    "wright",
    "scott",
    "torres",
    "nguyen",
    "hill",
    "flores",
    "green",
    "adams",
    "nelson",
    "baker",
    "hall",
    "rivera",
    "campbell",
    "mitchell",
    "carter",
    "roberts",
    "ivanov",
    "petrov",
    "smirnov",
    "kuznetsov",
    "popov",
    "sokolov",
    "mueller",
    "schmidt",
    "schneider",
    "fischer",
    "weber",
    "kowalski",
    "nowak",
    "wisniewski",
    "tran",
    "le",
    "pham",
    "hoang",
    "chen",
    "wang",
    "li",
    "zhang",
    "liu",
    "yang",
    "huang",
    "zhao",
    "kim",
    "park",
    "choi",
    "khan",
    "ahmed",
    "hussein",
    "rahman",
    "ali",
    "okafor",
    "mensah",
    "diallo",
    "santos",
    "oliveira",
    "silva",
];
/// Spelling variants that transliteration produces (each group is one name).
const TRANSLIT: &[&[&str]] = &[
    &["dmitri", "dmitriy", "dmitry", "dimitri"],
    &["sergei", "sergey", "serguei"],
    &["aleksandr", "alexander", "aleksander", "alexandr"],
    &["mikhail", "mikhail", "michail"],
    &["yuri", "yury", "iouri", "jurij"],
    &["mohammed", "muhammad", "mohamed", "mohammad"],
    &["yusuf", "yousef", "youssef", "jusuf"],
    &["ahmed", "ahmad", "ahmet"],
    &["hassan", "hasan"],
    &["yelena", "elena", "jelena"],
    &["tatiana", "tatyana", "tatjana"],
    &["natalia", "natalya", "nataliya"],
    &["ekaterina", "yekaterina", "katerina"],
    &["ivanov", "ivanoff", "iwanow"],
    &["smirnov", "smirnoff"],
    &["mueller", "muller", "müller"],
    &["nguyen", "nguyễn", "ngyuen"],
    &["tran", "trần"],
    &["hussein", "husain", "hussain", "husein"],
    &["rahman", "rehman"],
    &["jose", "josé"],
    &["sofia", "sophia"],
];
const NICKS: &[(&str, &str)] = &[
    ("william", "bill"),
    ("william", "will"),
    ("robert", "bob"),
    ("robert", "rob"),
    ("richard", "rick"),
    ("richard", "dick"),
    ("james", "jim"),
    ("james", "jimmy"),
    ("john", "jack"),
    ("michael", "mike"),
    ("elizabeth", "liz"),
    ("elizabeth", "beth"),
    ("katherine", "kate"),
    ("catherine", "cathy"),
    ("margaret", "peggy"),
    ("margaret", "maggie"),
    ("christopher", "chris"),
    ("daniel", "dan"),
    ("matthew", "matt"),
    ("anthony", "tony"),
    ("joseph", "joe"),
    ("thomas", "tom"),
    ("patricia", "pat"),
    ("jennifer", "jen"),
    ("rebecca", "becky"),
    ("samantha", "sam"),
    ("samuel", "sam"),
    ("alexander", "alex"),
    ("alexandra", "sasha"),
    ("natalia", "natasha"),
    ("ekaterina", "katya"),
    ("dmitri", "dima"),
    ("nicholas", "nick"),
    ("stephen", "steve"),
    ("timothy", "tim"),
    ("benjamin", "ben"),
    ("jonathan", "jon"),
    ("edward", "ed"),
    ("abigail", "abby"),
    ("victoria", "vicky"),
];
const STREET_WORDS: &[&str] = &[
    "oak",
    "maple",
    "cedar",
    "pine",
    "elm",
    "washington",
    "lincoln",
    "jefferson",
    "park",
    "lake",
    "hill",
    "river",
    "sunset",
    "highland",
    "forest",
    "meadow",
    "spring",
    "church",
    "mill",
    "bridge",
    "north",
    "south",
    "west",
    "east",
    "valley",
    "ridge",
    "willow",
    "cherry",
    "walnut",
    "chestnut",
    "franklin",
    "madison",
    "jackson",
    "adams",
    "monroe",
    "central",
    "main",
    "market",
    "union",
    "liberty",
    "grove",
    "orchard",
    "harbor",
    "prospect",
];
const STREET_TYPES: &[(&str, &str)] = &[
    ("street", "st"),
    ("avenue", "ave"),
    ("road", "rd"),
    ("drive", "dr"),
    ("lane", "ln"),
    ("court", "ct"),
    ("place", "pl"),
    ("boulevard", "blvd"),
    ("circle", "cir"),
    ("way", "way"),
];
const SYLLABLES: &[&str] = &[
    "ar", "bel", "cor", "dan", "el", "fair", "glen", "har", "iv", "jas", "kel", "lin", "mor",
    "nor", "os", "pen", "quin", "ros", "sel", "tor", "ul", "ver", "wes", "yar", "zan", "ton",
    "ville", "field", "wood", "ford",
];
const STATES: &[&str] = &["az", "ny", "nj", "ca", "tx", "fl", "il", "wa", "ga", "nv"];
const AREA_CODES: &[&str] = &[
    "480", "602", "623", "520", "212", "718", "917", "201", "973", "310", "213", "415", "512",
    "713", "214", "305", "312", "206", "404", "702",
];
const UNITS: &[&str] = &["apt", "unit", "suite", "flat"];

#[derive(Clone, Debug)]
struct Address {
    number: String,
    street: (String, usize),
    unit: String,
    suburb: String,
    postcode: String,
    state: String,
}

#[derive(Clone, Debug)]
struct Person {
    entity: u64,
    given: String,
    surname: String,
    female: bool,
    dob: (u16, u8, u8),
    ssn: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    address: Address,
    previous_address: Address,
}

/// Streams records; see [`write_people`].
pub struct People {
    rng: ChaCha8Rng,
    remaining: u64,
    next_entity: u64,
    next_rec: u64,
    pending: Vec<PersonRecord>,
    localities: Vec<(String, String, String)>,
    hub_addresses: Vec<Address>,
}

fn zipf_pick<'a>(rng: &mut ChaCha8Rng, list: &'a [&'a str]) -> &'a str {
    // Rank r with probability ∝ 1/(r+1): common names dominate, as in real populations.
    let n = list.len() as f64;
    let u: f64 = rng.gen_range(0.0..1.0);
    let idx = ((n + 1.0).powf(u) - 1.0) as usize;
    list[idx.min(list.len() - 1)]
}

fn synthetic_word(rng: &mut ChaCha8Rng, parts: usize) -> String {
    (0..parts)
        .map(|_| *SYLLABLES.choose(rng).unwrap_or(&"ar"))
        .collect()
}

impl People {
    /// A generator of `cfg.count` records.
    pub fn new(cfg: &PeopleConfig) -> People {
        let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed);
        // Localities scale with the population so addresses stay plausible at any size.
        let n_loc = ((cfg.count / 400) as usize).clamp(20, 5000);
        let localities = (0..n_loc)
            .map(|i| {
                let name = synthetic_word(&mut rng, 2);
                let postcode = format!("{:05}", 10000 + (i * 37 + rng.gen_range(0..30)) % 89999);
                let state = STATES.choose(&mut rng).copied().unwrap_or("az").to_string();
                (name, postcode, state)
            })
            .collect();
        let mut g = People {
            rng,
            remaining: cfg.count,
            next_entity: 0,
            next_rec: 0,
            pending: Vec::new(),
            localities,
            hub_addresses: Vec::new(),
        };
        g.hub_addresses = (0..(cfg.count / 5000).clamp(2, 200))
            .map(|_| g.address())
            .collect();
        g
    }

    fn address(&mut self) -> Address {
        let rng = &mut self.rng;
        let loc = &self.localities[rng.gen_range(0..self.localities.len())];
        let word = if rng.gen_bool(0.6) {
            STREET_WORDS
                .choose(rng)
                .copied()
                .unwrap_or("main")
                .to_string()
        } else {
            synthetic_word(rng, 2)
        };
        let t = rng.gen_range(0..STREET_TYPES.len());
        Address {
            number: rng.gen_range(1..2000).to_string(),
            street: (word, t),
            unit: if rng.gen_bool(0.2) {
                format!(
                    "{} {}",
                    UNITS.choose(rng).copied().unwrap_or("apt"),
                    rng.gen_range(1..40)
                )
            } else {
                String::new()
            },
            suburb: loc.0.clone(),
            postcode: loc.1.clone(),
            state: loc.2.clone(),
        }
    }

    fn given(&mut self, female: bool) -> String {
        zipf_pick(&mut self.rng, if female { GIVEN_F } else { GIVEN_M }).to_string()
    }

    fn surname(&mut self) -> String {
        if self.rng.gen_bool(0.55) {
            zipf_pick(&mut self.rng, SURNAMES).to_string()
        } else {
            let parts = self.rng.gen_range(2..4);
            synthetic_word(&mut self.rng, parts)
        }
    }

    fn phone(&mut self) -> String {
        let ac = AREA_CODES.choose(&mut self.rng).copied().unwrap_or("480");
        format!("{ac}-555-01{:02}", self.rng.gen_range(0..100))
    }

    fn person(&mut self, surname: &str, address: &Address, birth_year: u16) -> Person {
        let female = self.rng.gen_bool(0.5);
        let given = self.given(female);
        let entity = self.next_entity;
        self.next_entity += 1;
        let dob = (
            birth_year,
            self.rng.gen_range(1..=12),
            self.rng.gen_range(1..=28),
        );
        let ssn = self
            .rng
            .gen_bool(0.6)
            .then(|| format!("{:09}", self.rng.gen_range(100_000_000u64..900_000_000)));
        let phone = self.rng.gen_bool(0.5).then(|| self.phone());
        let email = self.rng.gen_bool(0.45).then(|| {
            let domain = ["example.com", "example.org", "example.net"]
                .choose(&mut self.rng)
                .copied()
                .unwrap_or("example.com");
            match self.rng.gen_range(0..3) {
                0 => format!("{given}.{surname}@{domain}"),
                1 => format!(
                    "{}{surname}{}@{domain}",
                    &given[..1],
                    self.rng.gen_range(1..99)
                ),
                _ => format!("{given}{}@{domain}", birth_year % 100),
            }
        });
        let previous_address = self.address();
        Person {
            entity,
            given,
            surname: surname.to_string(),
            female,
            dob,
            ssn,
            phone,
            email,
            address: address.clone(),
            previous_address,
        }
    }

    /// A household: one surname and address, one to five people of plausible ages.
    fn household(&mut self) -> Vec<Person> {
        let surname = self.surname();
        let address = if self.rng.gen_bool(0.01) && !self.hub_addresses.is_empty() {
            let i = self.rng.gen_range(0..self.hub_addresses.len());
            self.hub_addresses[i].clone()
        } else {
            self.address()
        };
        let size = *[1usize, 1, 1, 2, 2, 2, 3, 3, 4, 5]
            .choose(&mut self.rng)
            .unwrap_or(&1);
        let parent_year = self.rng.gen_range(1940..2000);
        let mut out = Vec::with_capacity(size);
        for k in 0..size {
            let year = if k < 2 {
                (parent_year as i32 + self.rng.gen_range(-4..=4)) as u16
            } else {
                parent_year + self.rng.gen_range(18..38)
            };
            let mut p = self.person(&surname, &address, year.min(2015));
            if k == 3 && self.rng.gen_bool(0.3) {
                // Twins: same birth date as the previous child, different given name.
                p.dob = out.last().map_or(p.dob, |q: &Person| q.dob);
            }
            out.push(p);
        }
        out
    }

    fn typo(&mut self, s: &str) -> String {
        let mut c: Vec<char> = s.chars().collect();
        if c.len() < 2 {
            return s.to_string();
        }
        let i = self.rng.gen_range(0..c.len());
        let letter = (b'a' + self.rng.gen_range(0..26u8)) as char;
        match self.rng.gen_range(0..4) {
            0 => c[i] = letter,
            1 => {
                c.remove(i);
            }
            2 => c.insert(i, letter),
            _ => {
                let j = if i + 1 < c.len() { i + 1 } else { i - 1 };
                c.swap(i, j);
            }
        }
        c.into_iter().collect()
    }

    fn variant_name(&mut self, name: &str, given: bool) -> String {
        let r: f64 = self.rng.gen_range(0.0..1.0);
        if let Some(group) = TRANSLIT.iter().find(|g| g.contains(&name)) {
            if r < 0.35 {
                return group
                    .choose(&mut self.rng)
                    .copied()
                    .unwrap_or(name)
                    .to_string();
            }
        }
        if given && r < 0.5 {
            let nicks: Vec<&str> = NICKS
                .iter()
                .filter(|(f, _)| *f == name)
                .map(|(_, n)| *n)
                .collect();
            if let Some(n) = nicks.choose(&mut self.rng) {
                if self.rng.gen_bool(0.5) {
                    return n.to_string();
                }
            }
        }
        if self.rng.gen_bool(0.25) {
            return self.typo(name);
        }
        if given && self.rng.gen_bool(0.04) {
            return name[..1].to_string();
        }
        name.to_string()
    }

    fn render(&mut self, p: &Person, duplicate: bool) -> PersonRecord {
        let rec_id = format!("rec-{}", self.next_rec);
        self.next_rec += 1;
        let mut given = p.given.clone();
        let mut surname = p.surname.clone();
        let mut address = p.address.clone();
        let (mut y, mut m, mut d) = (p.dob.0, p.dob.1, p.dob.2);
        let mut ssn = p.ssn.clone().unwrap_or_default();
        let mut phone = p.phone.clone().unwrap_or_default();
        let mut email = p.email.clone().unwrap_or_default();
        let mut dob_text = None;
        if duplicate {
            given = self.variant_name(&given, true);
            surname = self.variant_name(&surname, false);
            if p.female && self.rng.gen_bool(0.06) {
                surname = self.surname(); // Married name.
            }
            if self.rng.gen_bool(0.3) {
                address = p.previous_address.clone(); // Moved.
            }
            if self.rng.gen_bool(0.05) && d <= 12 {
                std::mem::swap(&mut m, &mut d);
            }
            if self.rng.gen_bool(0.06) {
                d = (d % 28) + 1;
            }
            if self.rng.gen_bool(0.03) {
                y = if self.rng.gen_bool(0.5) { y + 1 } else { y - 1 };
            }
            if self.rng.gen_bool(0.04) {
                dob_text = Some(format!("{y}")); // Partial date: year only.
            }
            if !ssn.is_empty() && self.rng.gen_bool(0.08) {
                ssn = self
                    .typo(&ssn)
                    .chars()
                    .filter(char::is_ascii_digit)
                    .collect();
            }
            if self.rng.gen_bool(0.25) {
                phone = self.phone(); // New phone (burner).
            }
            if self.rng.gen_bool(0.1) {
                email.clear();
            }
            if self.rng.gen_bool(0.03) {
                std::mem::swap(&mut given, &mut surname);
            }
            for f in [&mut given, &mut surname, &mut ssn, &mut phone] {
                if self.rng.gen_bool(0.06) {
                    f.clear();
                }
            }
            if self.rng.gen_bool(0.08) {
                address.number.clear();
            }
            if self.rng.gen_bool(0.15) {
                given = given.to_uppercase();
                surname = surname.to_uppercase();
            }
        }
        let (word, t) = &address.street;
        let (long, short) = STREET_TYPES[*t];
        let street_type = if self.rng.gen_bool(0.5) { long } else { short };
        let mut street = format!("{word} {street_type}");
        if duplicate && self.rng.gen_bool(0.1) {
            street = self.typo(&street);
        }
        let date_of_birth = dob_text.unwrap_or_else(|| {
            if self.rng.gen_bool(0.1) {
                format!("{y:04}-{m:02}-{d:02}")
            } else {
                format!("{y:04}{m:02}{d:02}")
            }
        });
        if !duplicate && self.rng.gen_bool(0.03) {
            email.clear();
        }
        PersonRecord {
            rec_id,
            entity_id: format!("e{}", p.entity),
            given_name: given,
            surname,
            street_number: address.number,
            address_1: street,
            address_2: address.unit,
            suburb: address.suburb,
            postcode: address.postcode,
            state: address.state,
            date_of_birth: if duplicate && self.rng.gen_bool(0.05) {
                String::new()
            } else {
                date_of_birth
            },
            soc_sec_id: ssn,
            phone,
            email,
        }
    }
}

impl Iterator for People {
    type Item = PersonRecord;

    fn next(&mut self) -> Option<PersonRecord> {
        if self.remaining == 0 {
            return None;
        }
        while self.pending.is_empty() {
            let household = self.household();
            for p in &household {
                // Records per person: 1 + geometric (mean ≈ 0.8 duplicates), up to 6.
                let mut n = 1;
                while n < 6 && self.rng.gen_bool(0.45) {
                    n += 1;
                }
                for k in 0..n {
                    let r = self.render(p, k > 0);
                    self.pending.push(r);
                }
            }
            self.pending.shuffle(&mut self.rng);
        }
        self.remaining -= 1;
        self.pending.pop()
    }
}

fn csv_field(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains([',', '"', '\n', '\r']) {
        std::borrow::Cow::Owned(format!("\"{}\"", s.replace('"', "\"\"")))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// Writes `cfg.count` records as CSV to `out` and `rec_id,entity_id` to `truth`, streaming.
pub fn write_people(
    cfg: &PeopleConfig,
    mut out: impl Write,
    mut truth: impl Write,
) -> io::Result<u64> {
    writeln!(out, "{HEADER}")?;
    writeln!(truth, "rec_id,entity_id")?;
    let mut n = 0;
    for r in People::new(cfg) {
        let fields = [
            &r.rec_id,
            &r.given_name,
            &r.surname,
            &r.street_number,
            &r.address_1,
            &r.address_2,
            &r.suburb,
            &r.postcode,
            &r.state,
            &r.date_of_birth,
            &r.soc_sec_id,
            &r.phone,
            &r.email,
        ];
        let line: Vec<std::borrow::Cow<'_, str>> = fields.iter().map(|f| csv_field(f)).collect();
        writeln!(out, "{}", line.join(","))?;
        writeln!(truth, "{},{}", r.rec_id, r.entity_id)?;
        n += 1;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_streams_are_reproducible_and_have_duplicates() {
        let cfg = PeopleConfig {
            count: 2000,
            seed: 9,
        };
        let a: Vec<PersonRecord> = People::new(&cfg).collect();
        let b: Vec<PersonRecord> = People::new(&cfg).collect();
        assert_eq!(a.len(), 2000);
        assert_eq!(a, b);
        let entities: std::collections::HashSet<&str> =
            a.iter().map(|r| r.entity_id.as_str()).collect();
        assert!(
            entities.len() < 1500,
            "too few duplicates: {}",
            entities.len()
        );
        assert!(a
            .iter()
            .all(|r| r.phone.is_empty() || r.phone.contains("-555-01")));
    }

    #[test]
    fn writes_csv_with_header_and_truth() {
        let mut out = Vec::new();
        let mut truth = Vec::new();
        let n = write_people(&PeopleConfig { count: 50, seed: 1 }, &mut out, &mut truth)
            .expect("write");
        assert_eq!(n, 50);
        let text = String::from_utf8(out).expect("utf8");
        assert_eq!(text.lines().count(), 51);
        assert!(text.lines().all(|l| l.split(',').count() == 13));
        assert_eq!(String::from_utf8(truth).expect("utf8").lines().count(), 51);
    }
}
