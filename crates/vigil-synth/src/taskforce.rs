//! A synthetic task force for `vigil demo` and tests: agencies of every kind, users of every
//! role, and cases with people, phones, accounts, addresses and links. Seeded and deterministic;
//! every name is invented and every phone is in the fictional NPA-555-01XX range.

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// An agency: (name, short code, kind as Vigil spells it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Agency {
    pub name: String,
    pub short_code: String,
    pub kind: &'static str,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub username: String,
    pub display_name: String,
    pub role: &'static str,
    /// Index into `TaskForce::agencies`.
    pub agency: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entity {
    pub schema: &'static str,
    pub properties: Vec<(&'static str, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Case {
    pub agency: usize,
    pub number: String,
    pub title: String,
    pub trafficking_type: &'static str,
    /// Statuses to walk through after opening, in order.
    pub status_path: Vec<&'static str>,
    /// Index into `TaskForce::users`; the lead.
    pub lead: usize,
    pub members: Vec<usize>,
    pub entities: Vec<Entity>,
    /// (source entity, target entity, link type).
    pub links: Vec<(usize, usize, &'static str)>,
    pub notes: Vec<String>,
    pub tasks: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskForce {
    pub agencies: Vec<Agency>,
    pub users: Vec<User>,
    pub cases: Vec<Case>,
}

const AGENCIES: &[(&str, &str, &str)] = &[
    (
        "Mesa Verde Police Department",
        "MVPD",
        "local_law_enforcement",
    ),
    (
        "State Department of Public Safety",
        "DPS",
        "state_law_enforcement",
    ),
    (
        "Homeland Security Investigations, Field Office",
        "HSI",
        "federal_law_enforcement",
    ),
    ("County Attorney's Office", "CAO", "prosecutor"),
    (
        "Safe Harbor Survivor Services",
        "SHSS",
        "victim_services_ngo",
    ),
    ("Department of Child Safety", "DCS", "social_services"),
];

const FIRST: &[&str] = &[
    "Alma", "Bram", "Celia", "Dario", "Elena", "Fidel", "Greta", "Hugo", "Ines", "Jonah", "Kira",
    "Luca", "Marisol", "Nico", "Olga", "Pavel", "Quinn", "Rosa", "Soren", "Tamsin", "Ulises",
    "Vera", "Wes", "Ximena",
];
const LAST: &[&str] = &[
    "Arvelo",
    "Brindle",
    "Castano",
    "Dunmore",
    "Esparza",
    "Fairweather",
    "Galloway",
    "Hollis",
    "Iturbe",
    "Jessop",
    "Kowalczyk",
    "Lindqvist",
    "Marchetti",
    "Norwood",
    "Okonjo",
    "Pellegrin",
    "Quarles",
    "Renwick",
];
const AREA_CODES: &[&str] = &["480", "602", "623", "520", "212", "201", "702", "305"];
const STREETS: &[&str] = &[
    "Saguaro Ave",
    "Mesquite Ln",
    "Ocotillo Rd",
    "Palo Verde Dr",
    "Cholla St",
    "Ironwood Blvd",
];
const CITIES: &[&str] = &["Mesa Verde", "Rio Seco", "Tierra Alta", "Puerto Sol"];

/// Users of every role in every agency where the role makes sense.
fn users(rng: &mut ChaCha8Rng) -> Vec<User> {
    let mut out = Vec::new();
    let mut used = std::collections::HashSet::new();
    let mut person = |rng: &mut ChaCha8Rng| loop {
        let f = FIRST.choose(rng).copied().unwrap_or("Alex");
        let l = LAST.choose(rng).copied().unwrap_or("Doe");
        if used.insert((f, l)) {
            return (f, l);
        }
    };
    let roles_for = |kind: &str| -> &'static [&'static str] {
        match kind {
            "prosecutor" => &["prosecutor", "supervisor"],
            "victim_services_ngo" | "social_services" => &["victim_advocate", "supervisor"],
            _ => &["investigator", "investigator", "analyst", "supervisor"],
        }
    };
    for (ai, (_, code, kind)) in AGENCIES.iter().enumerate() {
        for role in roles_for(kind) {
            let (f, l) = person(rng);
            out.push(User {
                username: format!(
                    "{}.{}.{}",
                    f.to_lowercase(),
                    l.to_lowercase(),
                    code.to_lowercase()
                ),
                display_name: format!("{f} {l}"),
                role,
                agency: ai,
            });
        }
    }
    let (f, l) = person(rng);
    out.push(User {
        username: "admin".into(),
        display_name: format!("{f} {l} (administrator)"),
        role: "administrator",
        agency: 1,
    });
    out
}

fn phone(rng: &mut ChaCha8Rng) -> String {
    let npa = AREA_CODES.choose(rng).copied().unwrap_or("480");
    format!("{npa}-555-01{:02}", rng.gen_range(0..100))
}

/// Builds the task force for `seed` with `cases` cases.
#[must_use]
pub fn generate(seed: u64, cases: usize) -> TaskForce {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let agencies: Vec<Agency> = AGENCIES
        .iter()
        .map(|(n, c, k)| Agency {
            name: (*n).into(),
            short_code: (*c).into(),
            kind: k,
        })
        .collect();
    let users = users(&mut rng);
    let case_workers: Vec<usize> = users
        .iter()
        .enumerate()
        .filter(|(_, u)| matches!(u.role, "investigator" | "analyst") && u.agency < 3)
        .map(|(i, _)| i)
        .collect();
    let prosecutors: Vec<usize> = users
        .iter()
        .enumerate()
        .filter(|(_, u)| u.role == "prosecutor")
        .map(|(i, _)| i)
        .collect();
    let advocates: Vec<usize> = users
        .iter()
        .enumerate()
        .filter(|(_, u)| u.role == "victim_advocate")
        .map(|(i, _)| i)
        .collect();
    let themes = [
        ("Massage parlour network", "sex"),
        ("Farm labour contractor", "labour"),
        ("Online escort ads ring", "sex"),
        ("Nail salon debt bondage", "labour"),
        ("Truck-stop circuit", "sex"),
        ("Restaurant kitchen workers", "labour"),
        ("Domestic servitude referral", "labour"),
        ("Hotel-based exploitation", "both"),
    ];
    let mut out_cases = Vec::with_capacity(cases);
    for n in 0..cases {
        let lead = case_workers
            .get(n % case_workers.len().max(1))
            .copied()
            .unwrap_or(0);
        let agency = users.get(lead).map_or(0, |u| u.agency);
        let (theme, kind) = themes[n % themes.len()];
        let city = CITIES.choose(&mut rng).copied().unwrap_or("Mesa Verde");
        let mut members = Vec::new();
        if let Some(p) = prosecutors.choose(&mut rng) {
            if rng.gen_bool(0.6) {
                members.push(*p);
            }
        }
        if let Some(a) = advocates.choose(&mut rng) {
            if rng.gen_bool(0.5) {
                members.push(*a);
            }
        }
        if let Some(c) = case_workers.choose(&mut rng) {
            if *c != lead {
                members.push(*c);
            }
        }
        let mut entities = Vec::new();
        let mut links = Vec::new();
        let people = rng.gen_range(2..=5);
        for p in 0..people {
            let f = FIRST.choose(&mut rng).copied().unwrap_or("Alex");
            let l = LAST.choose(&mut rng).copied().unwrap_or("Doe");
            let role = if p == 0 {
                "suspected_perpetrator"
            } else if rng.gen_bool(0.5) {
                "victim"
            } else {
                "other"
            };
            let year = rng.gen_range(1965..2004);
            entities.push(Entity {
                schema: "Person",
                properties: vec![
                    ("firstName", f.into()),
                    ("lastName", l.into()),
                    (
                        "birthDate",
                        format!(
                            "{year}-{:02}-{:02}",
                            rng.gen_range(1..=12),
                            rng.gen_range(1..=28)
                        ),
                    ),
                    ("htcdsRole", role.into()),
                ],
            });
        }
        let phones = rng.gen_range(1..=3);
        for _ in 0..phones {
            let idx = entities.len();
            entities.push(Entity {
                schema: "Phone",
                properties: vec![("number", phone(&mut rng))],
            });
            links.push((rng.gen_range(0..people), idx, "uses"));
        }
        let addr = entities.len();
        entities.push(Entity {
            schema: "Address",
            properties: vec![
                (
                    "street",
                    format!(
                        "{} {}",
                        rng.gen_range(100..9999),
                        STREETS.choose(&mut rng).copied().unwrap_or("Main St")
                    ),
                ),
                ("city", city.into()),
            ],
        });
        links.push((0, addr, "located_at"));
        if rng.gen_bool(0.5) {
            let acct = entities.len();
            entities.push(Entity {
                schema: "UserAccount",
                properties: vec![
                    (
                        "username",
                        format!(
                            "{}{}",
                            ["sunny", "vip", "rosa", "king"][rng.gen_range(0..4)],
                            rng.gen_range(10..99)
                        ),
                    ),
                    ("service", "Instagram".into()),
                ],
            });
            links.push((0, acct, "uses"));
        }
        for p in 1..people {
            links.push((
                0,
                p,
                if rng.gen_bool(0.3) {
                    "family"
                } else {
                    "associate"
                },
            ));
        }
        let status_path: Vec<&'static str> = match rng.gen_range(0..4) {
            0 => vec![],
            1 => vec!["active"],
            2 => vec!["active", "referred_for_prosecution"],
            _ => vec!["active", "closed"],
        };
        out_cases.push(Case {
            agency,
            number: format!(
                "{}-2026-{:04}",
                agencies.get(agency).map_or("X", |a| a.short_code.as_str()),
                n + 1
            ),
            title: format!("{theme} ({city})"),
            trafficking_type: kind,
            status_path,
            lead,
            members,
            entities,
            links,
            notes: vec![
                "Initial referral received; tipster reports workers living on site.".into(),
                "Deconfliction run: no other agency holds these selectors.".into(),
            ],
            tasks: vec![
                "Request phone subscriber records".into(),
                "Coordinate victim services before any contact".into(),
            ],
        });
    }
    TaskForce {
        agencies,
        users,
        cases: out_cases,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_complete() {
        let a = generate(7, 12);
        assert_eq!(a, generate(7, 12));
        assert_ne!(a, generate(8, 12));
        for role in [
            "investigator",
            "analyst",
            "prosecutor",
            "victim_advocate",
            "supervisor",
            "administrator",
        ] {
            assert!(a.users.iter().any(|u| u.role == role), "no {role}");
        }
        let names: std::collections::HashSet<_> = a.users.iter().map(|u| &u.username).collect();
        assert_eq!(names.len(), a.users.len(), "usernames are unique");
        for c in &a.cases {
            assert!(c
                .links
                .iter()
                .all(|(s, t, _)| *s < c.entities.len() && *t < c.entities.len()));
            for e in &c.entities {
                for (k, v) in &e.properties {
                    if *k == "number" {
                        assert!(v.contains("-555-01"), "fictional phone range only: {v}");
                    }
                }
            }
        }
    }
}
