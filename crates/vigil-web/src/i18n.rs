//! English and Spanish text of the public pages (the tip form and the follow-up page). The
//! language comes from `?lang=` or the form's hidden field, else from `Accept-Language`.

/// A public page's language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    Es,
}

impl Lang {
    /// `explicit` (query or form field) wins; otherwise the first language of `accept` we have.
    #[must_use]
    pub fn pick(explicit: Option<&str>, accept: Option<&str>) -> Self {
        match explicit.map(str::trim) {
            Some("es") => return Self::Es,
            Some("en") => return Self::En,
            _ => {}
        }
        for part in accept.unwrap_or("").split(',') {
            let tag = part
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            if tag == "es" || tag.starts_with("es-") {
                return Self::Es;
            }
            if tag == "en" || tag.starts_with("en-") {
                return Self::En;
            }
        }
        Self::En
    }

    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Es => "es",
        }
    }

    #[must_use]
    pub const fn t(self) -> &'static Text {
        match self {
            Self::En => &EN,
            Self::Es => &ES,
        }
    }
}

/// Every string of the public pages.
pub struct Text {
    pub tip_title: &'static str,
    pub tip_intro: &'static str,
    pub danger: &'static str,
    pub privacy: &'static str,
    pub what: &'static str,
    pub what_hint: &'static str,
    pub where_: &'static str,
    pub where_hint: &'static str,
    pub when: &'static str,
    pub when_hint: &'static str,
    pub contact: &'static str,
    pub contact_hint: &'static str,
    pub send: &'static str,
    pub optional: &'static str,
    pub followup_link: &'static str,
    pub thanks_title: &'static str,
    pub thanks_body: &'static str,
    pub code_label: &'static str,
    pub code_keep: &'static str,
    pub status_title: &'static str,
    pub status_intro: &'static str,
    pub code_field: &'static str,
    pub show: &'static str,
    pub received: &'static str,
    pub from_you: &'static str,
    pub from_task_force: &'static str,
    pub no_replies: &'static str,
    pub add_title: &'static str,
    pub add_field: &'static str,
    pub add_send: &'static str,
    pub added: &'static str,
    pub try_again: &'static str,
    pub too_fast: &'static str,
    pub busy: &'static str,
    pub bad_code: &'static str,
    pub new_tip: &'static str,
    pub other_lang: &'static str,
    pub other_lang_code: &'static str,
    pub skip: &'static str,
}

pub static EN: Text = Text {
    tip_title: "Report a concern",
    tip_intro: "Tell the task force what you saw or know. You do not need to give your name. Write as much or as little as you are comfortable with.",
    danger: "If someone is in danger right now, call your local emergency number (911 in the United States).",
    privacy: "This form does not record your IP address, your device or your browser. Nothing you write is shared outside the task force.",
    what: "What happened, or what did you see?",
    what_hint: "For example: who was involved, what they said or did, phone numbers or websites used.",
    where_: "Where?",
    where_hint: "A town, street, business or website, if you know it.",
    when: "When?",
    when_hint: "A date or a rough time, if you know it.",
    contact: "How could we reach you?",
    contact_hint: "Only if you want us to. You can leave this empty and still read our replies with your receipt code.",
    send: "Send",
    optional: "optional",
    followup_link: "Already sent a tip? Read replies or add information",
    thanks_title: "Thank you. Your tip was received.",
    thanks_body: "Keep the receipt code below somewhere safe. It is shown only this once. With it you can read replies from the task force and add information later, without giving your name.",
    code_label: "Your receipt code",
    code_keep: "Write it down or copy it now. We cannot show it again or look it up for you.",
    status_title: "Follow up on a tip",
    status_intro: "Enter the receipt code you were given when you sent your tip.",
    code_field: "Receipt code",
    show: "Show replies",
    received: "Tip received",
    from_you: "You wrote",
    from_task_force: "The task force replied",
    no_replies: "No replies yet. The task force reads every tip; please check again later.",
    add_title: "Add information",
    add_field: "Anything else you would like to tell us?",
    add_send: "Add to my tip",
    added: "Thank you. Your information was added to your tip.",
    try_again: "Please check the form and send it again.",
    too_fast: "Please take a moment to check what you wrote, then send it again.",
    busy: "Many tips are arriving right now. Please wait a minute and send again; what you wrote is still here.",
    bad_code: "That receipt code was not recognised. Check it and try again.",
    new_tip: "Send a new tip",
    other_lang: "Español",
    other_lang_code: "es",
    skip: "Skip to the form",
};

pub static ES: Text = Text {
    tip_title: "Informar de una situación",
    tip_intro: "Cuéntele al equipo lo que vio o sabe. No necesita dar su nombre. Escriba tanto o tan poco como le resulte cómodo.",
    danger: "Si alguien está en peligro ahora mismo, llame al número de emergencias local (911 en Estados Unidos).",
    privacy: "Este formulario no registra su dirección IP, su dispositivo ni su navegador. Lo que escriba no se comparte fuera del equipo.",
    what: "¿Qué pasó o qué vio?",
    what_hint: "Por ejemplo: quiénes estaban, qué dijeron o hicieron, teléfonos o sitios web que usaron.",
    where_: "¿Dónde?",
    where_hint: "Una ciudad, calle, negocio o sitio web, si lo sabe.",
    when: "¿Cuándo?",
    when_hint: "Una fecha o un momento aproximado, si lo sabe.",
    contact: "¿Cómo podríamos contactarle?",
    contact_hint: "Solo si usted lo desea. Puede dejarlo vacío y leer nuestras respuestas con su código de recibo.",
    send: "Enviar",
    optional: "opcional",
    followup_link: "¿Ya envió un aviso? Lea las respuestas o agregue información",
    thanks_title: "Gracias. Recibimos su aviso.",
    thanks_body: "Guarde el código de recibo en un lugar seguro. Solo se muestra esta vez. Con él podrá leer las respuestas del equipo y agregar información más adelante, sin dar su nombre.",
    code_label: "Su código de recibo",
    code_keep: "Anótelo o cópielo ahora. No podemos mostrarlo de nuevo ni buscarlo por usted.",
    status_title: "Seguimiento de un aviso",
    status_intro: "Escriba el código de recibo que recibió al enviar su aviso.",
    code_field: "Código de recibo",
    show: "Ver respuestas",
    received: "Aviso recibido",
    from_you: "Usted escribió",
    from_task_force: "El equipo respondió",
    no_replies: "Todavía no hay respuestas. El equipo lee todos los avisos; vuelva a consultar más tarde.",
    add_title: "Agregar información",
    add_field: "¿Hay algo más que quiera contarnos?",
    add_send: "Agregar a mi aviso",
    added: "Gracias. Su información se agregó a su aviso.",
    try_again: "Revise el formulario y envíelo de nuevo.",
    too_fast: "Tómese un momento para revisar lo que escribió y envíelo de nuevo.",
    busy: "Están llegando muchos avisos en este momento. Espere un minuto y envíelo de nuevo; lo que escribió sigue aquí.",
    bad_code: "No reconocimos ese código de recibo. Revíselo e inténtelo de nuevo.",
    new_tip: "Enviar un aviso nuevo",
    other_lang: "English",
    other_lang_code: "en",
    skip: "Ir al formulario",
};

#[cfg(test)]
mod tests {
    use super::Lang;

    #[test]
    fn explicit_choice_wins_then_accept_language_then_english() {
        assert_eq!(Lang::pick(Some("es"), Some("en-US")), Lang::Es);
        assert_eq!(Lang::pick(Some("en"), Some("es")), Lang::En);
        assert_eq!(Lang::pick(None, Some("es-MX,es;q=0.9,en;q=0.8")), Lang::Es);
        assert_eq!(Lang::pick(None, Some("fr-FR, en;q=0.5")), Lang::En);
        assert_eq!(Lang::pick(Some("xx"), None), Lang::En);
        assert_eq!(Lang::pick(None, Some("de, es;q=0.5")), Lang::Es);
    }
}
