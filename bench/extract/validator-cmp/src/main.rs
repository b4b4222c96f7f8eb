// Scratch: validate the same national digit strings with the `phonenumber` crate and with
// vigil-ident's own table, timing both. Reads one digit string per line on stdin.
use std::io::BufRead;
use std::time::Instant;

fn main() {
    let lines: Vec<String> = std::io::stdin().lock().lines().map_while(Result::ok).collect();
    let t = Instant::now();
    let mut ok_pn = 0usize;
    for l in &lines {
        if let Ok(n) = phonenumber::parse(Some(phonenumber::country::Id::US), l) {
            if phonenumber::is_valid(&n) {
                ok_pn += 1;
            }
        }
    }
    let dt_pn = t.elapsed();
    let t = Instant::now();
    let mut ok_v = 0usize;
    for l in &lines {
        let ex = vigil_ident::extract(l, &vigil_ident::Options::default());
        ok_v += ex.phones.len();
    }
    let dt_v = t.elapsed();
    println!("{} inputs; phonenumber parse+is_valid: {} valid in {:?} ({:.0}/s); vigil extract: {} found in {:?} ({:.0}/s)",
        lines.len(), ok_pn, dt_pn, lines.len() as f64 / dt_pn.as_secs_f64(), ok_v, dt_v, lines.len() as f64 / dt_v.as_secs_f64());
}
