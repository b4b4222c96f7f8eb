//! Design doc §5: e-mails, handles, wallets, ages and prices through `extract`.

use vigil_ident::{extract, Options};

#[test]
fn emails_handles_wallets_in_one_ad() {
    let text = "New in town! IG: @sweet.jane22 email jane [at] example [dot] com \
                btc 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa eth 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed \
                cashapp $JaneD22";
    let ex = extract(text, &Options::default());
    assert_eq!(
        ex.emails
            .iter()
            .map(|e| e.address.as_str())
            .collect::<Vec<_>>(),
        ["jane@example.com"]
    );
    let handles: Vec<(&str, &str)> = ex
        .handles
        .iter()
        .map(|h| (h.platform, h.handle.as_str()))
        .collect();
    assert_eq!(
        handles,
        [("instagram", "sweet.jane22"), ("cashapp", "janed22")]
    );
    assert_eq!(ex.emails[0].raw, "jane [at] example [dot] com");
    assert_eq!(ex.handles[0].raw, "IG: @sweet.jane22");
    let wallets: Vec<&str> = ex.wallets.iter().map(|w| w.checksum).collect();
    assert_eq!(wallets, ["base58check", "eip55"]);
    assert!(
        ex.phones.is_empty(),
        "digits inside wallets are not phones: {:?}",
        ex.phones
    );
}

/// The forms an illicit-massage-business ad or a job ad abroad uses, together: messaging IDs
/// with digits, a TRON address, an address at a mail provider written with a bare `at`, an
/// office number with a glued extension. Digits inside the IDs and the address are no phones.
#[test]
fn messaging_ids_tron_and_extensions_in_one_ad() {
    let text = "Asian massage, new staff. WeChat ID: lily7025550188 LINE@lily.702 \
                KakaoTalk: lily702 pay USDT TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t \
                mail lily.synth702 at gmail.com office 702.555.0143x2";
    let ex = extract(text, &Options::default());
    let handles: Vec<(&str, &str, &str)> = ex
        .handles
        .iter()
        .map(|h| (h.platform, h.handle.as_str(), h.kind.as_str()))
        .collect();
    assert_eq!(
        handles,
        [
            ("wechat", "lily7025550188", "messaging"),
            ("line", "lily.702", "messaging"),
            ("kakao", "lily702", "messaging"),
        ]
    );
    let wallets: Vec<(&str, &str)> = ex
        .wallets
        .iter()
        .map(|w| (w.chain.as_str(), w.checksum))
        .collect();
    assert_eq!(wallets, [("trx", "base58check")]);
    assert_eq!(
        ex.emails
            .iter()
            .map(|e| e.address.as_str())
            .collect::<Vec<_>>(),
        ["lily.synth702@gmail.com"]
    );
    let phones: Vec<&str> = ex.phones.iter().map(|p| p.e164.as_str()).collect();
    assert_eq!(phones, ["+17025550143"], "only the office number");
    assert_eq!(ex.phones[0].raw, "702.555.0143");
}

#[test]
fn ages_flag_minors_and_skip_traps() {
    let ages = |t: &str| {
        extract(t, &Options::default())
            .ages
            .iter()
            .map(|a| (a.age, a.minor))
            .collect::<Vec<_>>()
    };
    assert_eq!(ages("hi I'm 21, sweet"), [(21, false)]);
    assert_eq!(ages("Jenny 17yo"), [(17, true)]);
    assert_eq!(ages("age: 19"), [(19, false)]);
    assert_eq!(ages("Sexy Latina - 22"), [(22, false)]);
    assert!(ages("available 24/7, 5'6, 21+ only").is_empty());
}

#[test]
fn prices_with_units_in_both_orders() {
    let prices = |t: &str| {
        extract(t, &Options::default())
            .prices
            .iter()
            .map(|p| (p.amount, p.unit))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        prices("qv 80 hh 120 h 200"),
        [(80, Some("qv")), (120, Some("hh")), (200, Some("h"))]
    );
    assert_eq!(prices("$150/hr"), [(150, Some("h"))]);
    assert_eq!(prices("150 roses"), [(150, None)]);
    assert!(prices("$5 tip").is_empty(), "below the default price range");
}

#[test]
fn many_distinct_numbers_each_keep_all_their_occurrences() {
    // More distinct numbers than the de-duplication scan covers, each written twice.
    let numbers: Vec<String> = (0..40).map(|k| format!("(702) 555-01{k:02}")).collect();
    let text = format!("{} and again {}", numbers.join(" or "), numbers.join(" / "));
    let ex = extract(&text, &Options::default());
    assert_eq!(ex.phones.len(), 40);
    for (k, hit) in ex.phones.iter().enumerate() {
        assert_eq!(hit.e164, format!("+170255501{k:02}"));
        assert_eq!(hit.occurrences.len(), 2, "{}", hit.e164);
    }
}

/// The control bytes the fold uses for `€` and `£` mean nothing when a text holds them raw:
/// only the signs give a price its currency, and an invisible control byte between a number's
/// groups does not hide it as prices in euros (it did).
#[test]
fn raw_control_bytes_are_no_currency_signs_and_hide_no_phone() {
    let prices = |text: &str| -> Vec<(u32, Option<&'static str>, Option<&'static str>)> {
        extract(text, &Options::default())
            .prices
            .iter()
            .map(|p| (p.amount, p.currency, p.unit))
            .collect()
    };
    assert_eq!(
        prices("€120 qv, 80£ hh"),
        [
            (120, Some("EUR"), Some("qv")),
            (80, Some("GBP"), Some("hh"))
        ]
    );
    assert_eq!(
        prices("\u{1e}120 qv, \u{1f}80 hh"),
        [(120, None, Some("qv")), (80, None, Some("hh"))]
    );
    let phones = |text: &str| -> Vec<String> {
        extract(text, &Options::default())
            .phones
            .into_iter()
            .map(|p| p.e164)
            .collect()
    };
    for text in [
        "702\u{1e}555\u{1e}0143",
        "\u{1e}702 555 0143",
        "702\u{1f}555\u{1f}0143",
    ] {
        assert_eq!(phones(text), ["+17025550143"], "{text:?}");
    }
}

/// An ad written for Chinese-, Japanese- and Korean-speaking readers: messaging IDs after cues
/// in their scripts and after a Latin cue with a fullwidth colon, a number in fullwidth digits,
/// an address with fullwidth `＠` and `．`.
/// The digits inside the IDs are no phones.
#[test]
fn east_asian_messaging_cues() {
    let text =
        "新人到 微信：jane88 加賴 lily_77 카톡 jane.kr LINE：mei.22 电话 ７０２-５５５-０１４３ \
         邮箱 mei22＠gmail．com";
    let ex = extract(text, &Options::default());
    let handles: Vec<(&str, &str, &str)> = ex
        .handles
        .iter()
        .map(|h| (h.platform, h.handle.as_str(), h.raw.as_str()))
        .collect();
    assert_eq!(
        handles,
        [
            ("wechat", "jane88", "微信：jane88"),
            ("line", "lily_77", "加賴 lily_77"),
            ("kakao", "jane.kr", "카톡 jane.kr"),
            ("line", "mei.22", "LINE：mei.22"),
        ]
    );
    let phones: Vec<&str> = ex.phones.iter().map(|p| p.e164.as_str()).collect();
    assert_eq!(phones, ["+17025550143"]);
    // An address written with the fullwidth signs.
    let emails: Vec<(&str, &str)> = ex
        .emails
        .iter()
        .map(|e| (e.address.as_str(), e.raw.as_str()))
        .collect();
    assert_eq!(emails, [("mei22@gmail.com", "mei22＠gmail．com")]);
    // The public finder, which finds out about the scripts itself, agrees.
    let alone = vigil_ident::handle::find(text, &ex.emails, &ex.wallets);
    assert_eq!(alone.len(), ex.handles.len());
}
