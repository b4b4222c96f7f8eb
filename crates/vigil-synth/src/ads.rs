//! Synthetic online-ad feed with ground truth: templated escort, massage and job ads grouped into
//! operations that reuse text and phones, planted circuits, generic numbers, possible-minor ads
//! and distractors with numeric traps. Seeded, streaming, fictional numbers only (NPA-555-01XX).

mod phone_forms;

pub use phone_forms::{render as render_phone, PhoneForm, LINKS, OBSCURED, PLAIN};

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

/// Generator settings.
#[derive(Clone, Debug)]
pub struct AdsConfig {
    pub count: u64,
    pub seed: u64,
    /// First possible posting time (Unix seconds).
    pub start_unix: i64,
    /// Posting period in days.
    pub span_days: i64,
}

impl Default for AdsConfig {
    fn default() -> Self {
        Self {
            count: 1000,
            seed: 1,
            start_unix: 1_767_225_600,
            span_days: 180,
        } // 2026-01-01
    }
}

/// One ad of the feed.
#[derive(Clone, Debug, Serialize)]
pub struct SynthAd {
    pub id: String,
    pub source: String,
    pub url: String,
    pub posted_at: String,
    pub location: String,
    pub title: String,
    pub text: String,
}

/// What is really in an ad.
#[derive(Clone, Debug, Serialize)]
pub struct AdTruth {
    pub id: String,
    pub operation_id: String,
    /// E.164 of every phone truly present (generic ones included).
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    pub handles: Vec<String>,
    pub generic_phones: Vec<String>,
    pub circuit_id: Option<String>,
    pub possible_minor: bool,
}

/// Real area codes (NANP). Only `NPA-555-0100..0199` is fictional, 100 numbers per area code.
const AREA_CODES: &[u16] = &[
    201, 202, 203, 205, 206, 207, 208, 209, 210, 212, 213, 214, 215, 216, 217, 218, 219, 224, 225,
    228, 229, 231, 234, 239, 240, 248, 251, 252, 253, 254, 256, 260, 262, 267, 269, 270, 276, 281,
    301, 302, 303, 304, 305, 307, 308, 309, 310, 312, 313, 314, 315, 316, 317, 318, 319, 320, 321,
    323, 325, 330, 334, 336, 337, 339, 347, 351, 352, 360, 361, 386, 401, 402, 404, 405, 406, 407,
    408, 409, 410, 412, 413, 414, 415, 417, 419, 423, 425, 432, 434, 435, 440, 443, 469, 478, 479,
    480, 484, 501, 502, 503, 504, 505, 507, 508, 509, 510, 512, 513, 515, 516, 517, 518, 520, 530,
    540, 541, 559, 561, 562, 563, 567, 570, 571, 573, 574, 580, 585, 586, 601, 602, 603, 605, 606,
    607, 608, 609, 610, 612, 614, 615, 616, 617, 618, 619, 620, 623, 626, 630, 631, 636, 641, 646,
    650, 651, 660, 661, 662, 678, 682, 701, 702, 703, 704, 706, 707, 708, 712, 713, 714, 715, 716,
    717, 718, 719, 720, 724, 727, 731, 732, 734, 740, 754, 757, 760, 763, 765, 770, 772, 773, 774,
    775, 781, 785, 786, 801, 802, 803, 804, 805, 806, 808, 810, 812, 813, 814, 815, 816, 817, 818,
    828, 830, 831, 832, 843, 845, 847, 848, 850, 856, 857, 858, 859, 860, 862, 863, 864, 865, 870,
    901, 903, 904, 906, 907, 908, 909, 910, 912, 913, 914, 915, 916, 917, 918, 919, 920, 925, 928,
    931, 936, 937, 940, 941, 947, 949, 951, 952, 954, 956, 970, 971, 972, 973, 978, 979, 980, 985,
];

const CITIES: &[&str] = &[
    "Phoenix",
    "Tucson",
    "Las Vegas",
    "Reno",
    "Los Angeles",
    "San Diego",
    "San Francisco",
    "Denver",
    "Dallas",
    "Houston",
    "Austin",
    "San Antonio",
    "Atlanta",
    "Miami",
    "Orlando",
    "Tampa",
    "Chicago",
    "Detroit",
    "Minneapolis",
    "St. Louis",
    "New York",
    "Newark",
    "Philadelphia",
    "Boston",
    "Baltimore",
    "Washington",
    "Charlotte",
    "Nashville",
    "New Orleans",
    "Seattle",
    "Portland",
    "Salt Lake City",
    "Albuquerque",
    "El Paso",
    "Oklahoma City",
    "Kansas City",
    "Columbus",
    "Indianapolis",
    "Cleveland",
    "Pittsburgh",
];

const NAMES: &[&str] = &[
    "Lola", "Mia", "Ana", "Kitty", "Jasmine", "Bella", "Luna", "Candy", "Sasha", "Nikki", "Rosa",
    "Yuki", "Mei", "Lily", "Vanessa", "Gabi", "Destiny", "Amber", "Crystal", "Monica", "Sofia",
    "Tina", "Jade", "Coco", "Angel", "Brandy", "Daisy", "Honey", "Ruby", "Star", "Paris", "Selena",
];

const ETHNICITY: &[&str] = &[
    "Asian",
    "Latina",
    "exotic",
    "ebony",
    "Korean",
    "Thai",
    "Colombian",
    "Russian",
    "Brazilian",
    "Cuban",
];
const EMOJI: &[&str] = &[
    "💋", "🔥", "💕", "✨", "🌹", "🍒", "😘", "💦", "👑", "🌸", "💯", "🍭",
];
const TRAPS: &[&str] = &[
    "34-24-36 5'6 120lbs",
    "36DD-24-36",
    "$150hh $250h",
    "qv 80 hh 120 h 200",
    "available 24/7",
    "100% real 22 yrs",
    "specials until 12/25/2025 10:30pm",
    "ID# 1954023 zip 85004",
    "2 nights only",
    "open 10am to 2am",
    "ref #4471023",
    "$200 roses for the hour",
];

/// Sentence banks per ad kind: each entry joins one choice from every part.
const ESCORT: &[&[&[&str]]] = &[
    &[
        &[
            "Hey guys",
            "Hi gentlemen",
            "Hello boys",
            "Good evening",
            "Hey there",
            "Hi loves",
        ],
        &["it's", "im", "I am", "this is", "call me"],
        &["{name}"],
    ],
    &[
        &[
            "sweet", "fun", "playful", "sexy", "classy", "bubbly", "gorgeous", "naughty",
        ],
        &["{eth}", "curvy", "slim", "petite", "tall", "thick"],
        &["girl", "lady", "doll", "princess", "companion"],
        &[
            "ready to play",
            "waiting for you",
            "here to please",
            "with a great attitude",
            "who loves to party",
        ],
    ],
    &[&[
        "100% real pics",
        "real and recent photos",
        "no fakes no games",
        "legit and discreet",
        "what you see is what you get",
        "my pics are real",
        "verified pics",
    ]],
    &[
        &[
            "incall",
            "outcall",
            "incall and outcall",
            "hotel incall only",
            "car dates ok",
            "upscale incall",
        ],
        &[
            "available now",
            "all night",
            "early birds welcome",
            "late night specials",
            "this weekend",
        ],
    ],
    &[
        &[
            "new in town",
            "just arrived",
            "leaving soon",
            "limited time",
            "in town for a few days",
            "last night here",
            "back in town",
        ],
        &[
            "dont miss out",
            "come see me",
            "book now",
            "see you soon",
            "hurry",
        ],
    ],
    &[
        &[
            "text me",
            "call me",
            "txt only",
            "no blocked calls",
            "serious gentlemen only",
            "no texts from private numbers",
        ],
        &["{phone}", "at {phone}", "now {phone}", "anytime {phone}"],
    ],
    &[
        &["ask about my", "i have", "check my", "don't forget my"],
        &["specials", "rates", "donations", "menu"],
        &["{price}", "qv {price}", "hh {price}", "{price} roses"],
    ],
    &[&[
        "screening required",
        "no law enforcement",
        "no rush",
        "clean and safe",
        "discreet location",
        "friendly and open minded",
    ]],
    &[
        &["{age} yrs", "im {age}", "age {age}", "{age} years young"],
        &["", "and ready", "and fun", "with a sweet smile"],
    ],
];

const MASSAGE: &[&[&[&str]]] = &[
    &[
        &[
            "Grand opening",
            "New management",
            "Best spa in town",
            "Relax and unwind",
            "Stress relief",
        ],
        &["at our", "come to our", "visit our"],
        &["{eth} spa", "massage studio", "day spa", "wellness center"],
    ],
    &[
        &[
            "table shower",
            "body scrub",
            "hot stone",
            "deep tissue",
            "four hands",
            "sauna",
        ],
        &["and", "plus", "with"],
        &["full body", "swedish", "shiatsu", "foot reflexology"],
        &["massage", "treatment", "session"],
    ],
    &[
        &["beautiful", "young", "new", "friendly", "skilled"],
        &["{eth}", "professional", "experienced"],
        &["staff", "therapists", "girls", "ladies"],
        &["every day", "daily", "9am to 11pm", "open late"],
    ],
    &[
        &[
            "walk ins welcome",
            "appointments preferred",
            "private rooms",
            "free parking",
            "clean rooms",
        ],
        &["call {phone}", "book at {phone}", "{phone}"],
    ],
    &[
        &["special", "promo", "this week"],
        &["{price} for 60 min", "${price}/hr", "{price} hh"],
    ],
];

const JOBS: &[&[&[&str]]] = &[
    &[
        &[
            "Hiring now",
            "Now hiring",
            "Urgent hiring",
            "Job opportunity",
            "Work available",
        ],
        &["for", "-"],
        &[
            "hostesses",
            "dancers",
            "models",
            "massage staff",
            "waitresses",
            "nannies",
            "cleaners",
        ],
    ],
    &[&[
        "no experience needed",
        "no papers needed",
        "training provided",
        "visa help available",
        "english not required",
    ]],
    &[&[
        "housing provided",
        "room and board included",
        "transportation provided",
        "travel with our team",
        "live on site",
    ]],
    &[
        &["earn", "make", "get paid"],
        &[
            "$2000 a week",
            "$500 a day",
            "cash daily",
            "weekly pay",
            "big tips",
        ],
    ],
    &[
        &["young women", "girls 18+", "ladies", "students welcome"],
        &["apply now", "contact", "message"],
        &["{phone}", "at {phone}", "today {phone}"],
    ],
];

const TITLES_ESCORT: &[&str] = &[
    "{eth} {name} - {age}",
    "Sweet {name} in {city}",
    "{name} new in {city} - {age}",
    "Real pics {name} {age}",
    "{name} available now",
    "Discreet fun with {name}",
    "{city} {eth} beauty - {age}",
];
const TITLES_MASSAGE: &[&str] = &[
    "Grand opening {eth} spa",
    "Relaxing massage in {city}",
    "{eth} massage {city}",
    "Best massage in {city}",
];
const TITLES_JOBS: &[&str] = &[
    "Now hiring in {city}",
    "Hostess jobs {city}",
    "Work and travel - cash daily",
    "Models wanted {city}",
];

/// Words for each operation's own turn of phrase, so unrelated operations rarely read alike.
const VOICE: &[&str] = &[
    "always",
    "honest",
    "bright",
    "calm",
    "caring",
    "clean",
    "cozy",
    "daily",
    "easy",
    "elegant",
    "family",
    "fast",
    "flexible",
    "friendly",
    "gentle",
    "golden",
    "happy",
    "kind",
    "local",
    "lovely",
    "modern",
    "nice",
    "open",
    "patient",
    "polite",
    "private",
    "quiet",
    "quick",
    "relaxed",
    "reliable",
    "safe",
    "simple",
    "smart",
    "smooth",
    "soft",
    "special",
    "steady",
    "sunny",
    "tidy",
    "warm",
    "apartment",
    "beach",
    "breakfast",
    "car",
    "coffee",
    "corner",
    "downtown",
    "evening",
    "garden",
    "guest",
    "highway",
    "hotel",
    "house",
    "kitchen",
    "lake",
    "mall",
    "morning",
    "music",
    "night",
    "office",
    "park",
    "pool",
    "river",
    "room",
    "shop",
    "station",
    "street",
    "studio",
    "tower",
    "uptown",
    "valley",
    "weekend",
    "window",
    "airport",
    "bridge",
    "campus",
    "harbor",
    "market",
    "plaza",
    "square",
    "arrive",
    "bring",
    "call",
    "choose",
    "come",
    "drive",
    "enjoy",
    "feel",
    "find",
    "join",
    "leave",
    "meet",
    "move",
    "relax",
    "rest",
    "share",
    "start",
    "stay",
    "visit",
    "walk",
    "with",
    "near",
    "after",
    "before",
    "behind",
    "around",
    "inside",
    "across",
    "beside",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Escort,
    Massage,
    Job,
}

/// One planted operation (or a lone distractor ad when `remaining == 1` at creation).
struct Op {
    id: u64,
    kind: Kind,
    remaining: u64,
    templates: Vec<Vec<String>>,
    title: String,
    names: Vec<&'static str>,
    eth: &'static str,
    age: u8,
    phones: Vec<[u8; 10]>,
    email: Option<String>,
    handle: Option<String>,
    cities: Vec<&'static str>,
    city_step: u64,
    emitted: u64,
    circuit: bool,
    minor: bool,
    t: i64,
}

/// Streams `(ad, truth)` pairs; holds in memory the active operations and the finished ones that
/// hold numbers (at most one per number of the pool).
///
/// Every operation gets numbers of its own from a pool of fictional ones (NPA-555-0100..0199 of
/// [`AREA_CODES`], about 26,600): a number never moves to another operation, or the ground
/// truth would call two operations what any clusterer must see as one. A feed of more than
/// about 190,000 ads spends the pool; from then on a finished operation posts again (same
/// numbers, names and texts: the heavy reposting of a large board) instead of a new one
/// starting without a number. A feed that does not spend the pool is as it was before this
/// rule (the rule draws no random numbers until then).
pub struct AdsGenerator {
    cfg: AdsConfig,
    rng: ChaCha8Rng,
    emitted: u64,
    reserved: u64,
    next_op: u64,
    active: Vec<Op>,
    /// Finished operations that hold numbers: the ones that post again once the pool is spent.
    finished: Vec<Op>,
    pool: Vec<[u8; 10]>,
    generic: Vec<([u8; 10], &'static str)>,
}

fn digits_of(npa: u16, line: u8) -> [u8; 10] {
    let s = format!("{npa:03}5550{:03}", 100 + u16::from(line));
    let mut d = [0u8; 10];
    for (o, b) in d.iter_mut().zip(s.bytes()) {
        *o = b - b'0';
    }
    d
}

fn e164(d: &[u8; 10]) -> String {
    let mut s = String::from("+1");
    s.extend(d.iter().map(|&x| char::from(b'0' + x)));
    s
}

/// Days since the epoch to `YYYY-MM-DDTHH:MM:SSZ`.
fn rfc3339(unix: i64) -> String {
    let (days, secs) = (unix.div_euclid(86_400), unix.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

impl AdsGenerator {
    /// A generator for `cfg`.
    pub fn new(cfg: AdsConfig) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed);
        let mut pool: Vec<[u8; 10]> = AREA_CODES
            .iter()
            .flat_map(|&npa| (0..100u8).map(move |l| digits_of(npa, l)))
            .collect();
        pool.shuffle(&mut rng);
        let labels = [
            "hotel front desk",
            "hotline",
            "booking line",
            "switchboard",
            "front desk",
            "agency line",
        ];
        let generic = labels
            .iter()
            .filter_map(|&l| pool.pop().map(|d| (d, l)))
            .collect();
        Self {
            cfg,
            rng,
            emitted: 0,
            reserved: 0,
            next_op: 0,
            active: Vec::new(),
            finished: Vec::new(),
            pool,
            generic,
        }
    }

    fn new_op(&mut self, size: u64) -> Op {
        let rng = &mut self.rng;
        self.next_op += 1;
        let kind = match rng.gen_range(0..100) {
            0..=69 => Kind::Escort,
            70..=89 => Kind::Massage,
            _ => Kind::Job,
        };
        let bank = match kind {
            Kind::Escort => ESCORT,
            Kind::Massage => MASSAGE,
            Kind::Job => JOBS,
        };
        let n_templates = if size > 6 && rng.gen_bool(0.3) { 2 } else { 1 };
        let templates = (0..n_templates)
            .map(|_| {
                let mut t: Vec<String> = Vec::new();
                for parts in bank.iter() {
                    if rng.gen_bool(0.85) {
                        let words: Vec<&str> =
                            parts.iter().map(|p| p[rng.gen_range(0..p.len())]).collect();
                        t.push(words.join(" ").trim().to_string());
                    }
                }
                let voice_lines = if kind == Kind::Escort { 1 } else { 2 };
                for _ in 0..voice_lines {
                    let words: Vec<&str> = (0..6)
                        .map(|_| VOICE[rng.gen_range(0..VOICE.len())])
                        .collect();
                    let at = rng.gen_range(0..=t.len());
                    t.insert(at, words.join(" "));
                }
                if !t.iter().any(|s| s.contains("{phone}")) {
                    t.push("contact {phone}".into());
                }
                t
            })
            .collect();
        let circuit = size >= 4 && rng.gen_bool(0.25);
        let n_cities = if circuit {
            rng.gen_range(3..=5)
        } else if rng.gen_bool(0.1) {
            2
        } else {
            1
        };
        let mut cities: Vec<&'static str> =
            CITIES.choose_multiple(rng, n_cities).copied().collect();
        cities.shuffle(rng);
        let n_phones = if rng.gen_bool(0.2) { 2 } else { 1 };
        let phones: Vec<[u8; 10]> = (0..n_phones).filter_map(|_| self.pool.pop()).collect();
        let name = NAMES[rng.gen_range(0..NAMES.len())];
        let minor = kind == Kind::Escort && rng.gen_bool(0.01);
        let span = self.cfg.span_days.max(1) * 86_400;
        Op {
            id: self.next_op,
            kind,
            remaining: size,
            templates,
            title: {
                let titles = match kind {
                    Kind::Escort => TITLES_ESCORT,
                    Kind::Massage => TITLES_MASSAGE,
                    Kind::Job => TITLES_JOBS,
                };
                titles[rng.gen_range(0..titles.len())].to_string()
            },
            names: {
                let extra = rng.gen_range(0..=2);
                NAMES
                    .choose_multiple(rng, extra)
                    .copied()
                    .chain([name])
                    .collect()
            },
            eth: ETHNICITY[rng.gen_range(0..ETHNICITY.len())],
            age: if minor {
                rng.gen_range(16..=17)
            } else {
                rng.gen_range(19..=34)
            },
            email: (phones.is_empty() || rng.gen_bool(0.15))
                .then(|| format!("{}.synth{}@example.com", name.to_lowercase(), self.next_op)),
            handle: (phones.is_empty() || rng.gen_bool(0.15))
                .then(|| operation_handle(name, self.next_op)),
            phones,
            city_step: (size / n_cities as u64).max(1),
            cities,
            emitted: 0,
            circuit,
            minor,
            t: self.cfg.start_unix + rng.gen_range(0..span),
        }
    }

    fn op_size(&mut self) -> u64 {
        if self.rng.gen_bool(0.45) {
            1
        } else {
            2 + (self.rng.gen::<f64>().powi(2) * 40.0) as u64
        }
    }

    fn next_ad(&mut self) -> (SynthAd, AdTruth) {
        while self.active.len() < 400 && self.reserved < self.cfg.count {
            let size = self.op_size().min(self.cfg.count - self.reserved);
            self.reserved += size;
            let op = if self.pool.is_empty() && !self.finished.is_empty() {
                let k = self.rng.gen_range(0..self.finished.len());
                let mut op = self.finished.swap_remove(k);
                op.remaining = size;
                op
            } else {
                self.new_op(size)
            };
            self.active.push(op);
        }
        let slot = self.rng.gen_range(0..self.active.len());
        self.emitted += 1;
        let id = format!("ad-{:08}", self.emitted);
        let (ad, truth) = write_ad(&mut self.rng, &mut self.active[slot], &self.generic, id);
        if self.active[slot].remaining == 0 {
            let done = self.active.swap_remove(slot);
            if !done.phones.is_empty() {
                self.finished.push(done);
            }
        }
        (ad, truth)
    }
}

impl Iterator for AdsGenerator {
    type Item = (SynthAd, AdTruth);

    fn next(&mut self) -> Option<Self::Item> {
        (self.emitted < self.cfg.count).then(|| self.next_ad())
    }
}

fn typo(rng: &mut ChaCha8Rng, word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    if chars.len() < 4 || !chars.iter().all(|c| c.is_ascii_alphabetic()) {
        return word.to_string();
    }
    let i = rng.gen_range(1..chars.len() - 1);
    let mut c = chars.clone();
    match rng.gen_range(0..3) {
        0 => c.swap(i, i + 1),
        1 => {
            c.remove(i);
        }
        _ => c.insert(i, chars[i]),
    }
    c.into_iter().collect()
}

fn write_ad(
    rng: &mut ChaCha8Rng,
    op: &mut Op,
    generic: &[([u8; 10], &'static str)],
    id: String,
) -> (SynthAd, AdTruth) {
    op.remaining -= 1;
    let city_index = ((op.emitted / op.city_step) as usize).min(op.cities.len() - 1);
    let city = op.cities[city_index];
    op.emitted += 1;
    // Circuits move every ~2 days so every city falls in a 30-day window; others post slower.
    // A circuit's whole itinerary fits in 25 days, so it is a circuit under the 30-day default;
    // other operations post every few hours to five days.
    let circuit_step = (25 * 86_400 / (op.emitted + op.remaining).max(1) as i64).max(3_601);
    op.t += if op.circuit {
        rng.gen_range(3_600..circuit_step)
    } else {
        rng.gen_range(3_600..5 * 86_400)
    };
    let name = op.names[rng.gen_range(0..op.names.len())];
    let age = op.age + u8::from(!op.minor && rng.gen_bool(0.2));
    let price = [60, 80, 100, 120, 150, 160, 200, 250][rng.gen_range(0..8)];
    let mut phones = Vec::new();
    let mut phone_text = String::new();
    if !op.phones.is_empty() {
        let d = op.phones[rng.gen_range(0..op.phones.len())];
        let form = if rng.gen_bool(0.4) {
            PLAIN[rng.gen_range(0..PLAIN.len())]
        } else if rng.gen_bool(0.1) {
            LINKS[rng.gen_range(0..LINKS.len())]
        } else {
            OBSCURED[rng.gen_range(0..OBSCURED.len())]
        };
        phone_text = render_phone(&d, form, rng);
        phones.push(e164(&d));
    }
    let (mut emails, mut handles) = (Vec::new(), Vec::new());
    if let Some(e) = &op.email {
        if phone_text.is_empty() || rng.gen_bool(0.5) {
            phone_text = format!("{phone_text} email {e}").trim().to_string();
            emails.push(e.clone());
        }
    }
    if let Some(h) = &op.handle {
        if phone_text.is_empty() || rng.gen_bool(0.5) {
            let cue = ["snap:", "IG: @", "kik:", "sc:"][rng.gen_range(0..4)];
            phone_text = format!("{phone_text} {cue}{h}").trim().to_string();
            handles.push(h.clone());
        }
    }
    let template = &op.templates[rng.gen_range(0..op.templates.len())];
    let fill = |s: &str| {
        s.replace("{name}", name)
            .replace("{eth}", op.eth)
            .replace("{age}", &age.to_string())
            .replace("{city}", city)
            .replace("{price}", &price.to_string())
    };
    let mut sentences: Vec<String> = Vec::new();
    for s in template {
        if !s.contains("{phone}") && rng.gen_bool(0.08) {
            continue;
        }
        let mut s = fill(s).replace("{phone}", &phone_text);
        if rng.gen_bool(0.3) {
            s = s
                .split(' ')
                .map(|w| {
                    if rng.gen_bool(0.03) {
                        typo(rng, w)
                    } else {
                        w.to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join(" ");
        }
        sentences.push(s);
    }
    if op.minor && rng.gen_bool(0.5) {
        sentences.push("high school cutie".into());
    }
    if rng.gen_bool(0.25) {
        sentences.push(TRAPS[rng.gen_range(0..TRAPS.len())].to_string());
    }
    let mut generic_phones = Vec::new();
    if rng.gen_bool(0.015) {
        let (d, label) = generic[rng.gen_range(0..generic.len())];
        sentences.push(format!(
            "{label} {}",
            render_phone(&d, PLAIN[rng.gen_range(0..3)], rng)
        ));
        generic_phones.push(e164(&d));
        if !phones.contains(&e164(&d)) {
            phones.push(e164(&d));
        }
    }
    let mut text = String::new();
    for s in sentences {
        if !text.is_empty() {
            text.push_str(if rng.gen_bool(0.5) { ". " } else { " " });
        }
        if rng.gen_bool(0.12) {
            text.push_str(EMOJI[rng.gen_range(0..EMOJI.len())]);
            text.push(' ');
        }
        text.push_str(&s);
    }
    let board = ["a", "b", "c"][rng.gen_range(0..3)];
    let slug: String = city
        .to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    let kind = match op.kind {
        Kind::Escort => "escorts",
        Kind::Massage => "massage",
        Kind::Job => "jobs",
    };
    let ad = SynthAd {
        url: format!("https://board-{board}.example/{slug}/{kind}/{id}"),
        source: format!("synth-board-{board}"),
        posted_at: rfc3339(op.t),
        location: city.to_string(),
        title: fill(&op.title),
        text,
        id: id.clone(),
    };
    let truth = AdTruth {
        id,
        operation_id: format!("op-{}", op.id),
        phones,
        emails,
        handles,
        generic_phones,
        circuit_id: op.circuit.then(|| format!("circuit-{}", op.id)),
        possible_minor: op.minor,
    };
    (ad, truth)
}

/// The handle an operation advertises under every cue the ads use (`snap:`, `sc:`, `IG: @`,
/// `kik:`): `{name}_synth{op}`, the name cut so that the handle has at most 15 characters, the
/// most Snapchat allows (the shortest limit of the four platforms; a longer one is no valid
/// Snapchat name, and an extractor that checks the platform's rules rightly reads none).
fn operation_handle(name: &str, op: u64) -> String {
    const SNAPCHAT_MAX: usize = 15;
    let suffix = format!("_synth{op}");
    let keep = SNAPCHAT_MAX.saturating_sub(suffix.len()).max(1);
    let name: String = name.to_lowercase().chars().take(keep).collect();
    format!("{name}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gen(count: u64, seed: u64) -> Vec<(SynthAd, AdTruth)> {
        AdsGenerator::new(AdsConfig {
            count,
            seed,
            ..AdsConfig::default()
        })
        .collect()
    }

    /// Once the pool is spent, finished operations post again: every ad still carries a number,
    /// every number but the generic ones stays with one operation, and there are no more
    /// operations than numbers.
    #[test]
    fn a_feed_longer_than_the_pool_keeps_every_number_with_one_operation() {
        let mut generator = AdsGenerator::new(AdsConfig {
            count: 20_000,
            seed: 5,
            ..AdsConfig::default()
        });
        // 1,000 numbers: enough for the first 400 operations (at most two each), spent long
        // before 20,000 ads (about 2,250 operations would start without the rule).
        generator.pool.truncate(1_000);
        let feed: Vec<(SynthAd, AdTruth)> = generator.collect();
        assert_eq!(feed.len(), 20_000);
        let mut owner: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
        let mut operations = std::collections::HashSet::new();
        for (ad, t) in &feed {
            assert!(!t.phones.is_empty(), "{}: {}", t.id, ad.text);
            // Generic numbers (hotlines, front desks) are planted across operations on purpose.
            for p in t.phones.iter().filter(|p| !t.generic_phones.contains(p)) {
                let first = owner.entry(p.as_str()).or_insert(t.operation_id.as_str());
                assert_eq!(*first, t.operation_id.as_str(), "{p}");
            }
            operations.insert(t.operation_id.as_str());
        }
        assert!(operations.len() <= 1_000, "{}", operations.len());
    }

    #[test]
    fn same_seed_same_feed_and_exact_count() {
        let (a, b) = (gen(300, 7), gen(300, 7));
        assert_eq!(a.len(), 300);
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(
                serde_json::to_string(&x.0).unwrap(),
                serde_json::to_string(&y.0).unwrap()
            );
        }
        assert_ne!(a[0].0.text, gen(300, 8)[0].0.text);
    }

    #[test]
    fn phones_are_fictional_and_plants_are_present() {
        let feed = gen(3000, 3);
        let mut circuits = 0;
        let mut generic = 0;
        for (ad, t) in &feed {
            for p in &t.phones {
                assert!(
                    p.len() == 12 && &p[5..9] == "5550" && (&p[9..10] == "1"),
                    "{p}"
                );
            }
            circuits += usize::from(t.circuit_id.is_some());
            generic += t.generic_phones.len();
            assert!(!ad.text.is_empty());
        }
        assert!(circuits > 0 && generic > 0);
        assert!(feed.iter().any(|(_, t)| t.possible_minor));
        let ops: std::collections::HashSet<&str> =
            feed.iter().map(|(_, t)| t.operation_id.as_str()).collect();
        assert!(ops.len() > 100 && ops.len() < 3000);
    }

    /// Every planted handle is a valid name under each cue it may stand after: 3 to 15 of
    /// `[a-z0-9._-]` for Snapchat (the shortest limit), and it is in the ad's text.
    #[test]
    fn handles_fit_every_platform_they_are_advertised_on() {
        let feed = gen(5000, 11);
        let mut planted = 0;
        for (ad, t) in &feed {
            for h in &t.handles {
                planted += 1;
                assert!((3..=15).contains(&h.len()), "{h}");
                assert!(
                    h.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                    "{h}"
                );
                assert!(ad.text.contains(h.as_str()), "{h}");
            }
        }
        assert!(planted > 100, "{planted}");
        // The name is cut only as far as needed.
        assert_eq!(operation_handle("Mei", 7), "mei_synth7");
        assert_eq!(operation_handle("Jasmine", 148), "jasmin_synth148");
        assert_eq!(operation_handle("Jasmine", 99_999), "jasm_synth99999");
    }

    #[test]
    fn rfc3339_formats_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_709_208_000), "2024-02-29T12:00:00Z");
    }
}
