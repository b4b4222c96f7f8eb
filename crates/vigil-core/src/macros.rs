//! `string_enum!`: enums with a stable storage/wire name, parsed with a helpful error.

macro_rules! string_enum {
    ($(#[$doc:meta])* $name:ident, $kind:literal { $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vdoc])* $variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            const EXPECTED: &'static str = concat!($($text, " "),+);

            /// The stable wire and storage name.
            #[must_use]
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(s: &str) -> Result<Self, $crate::model::EnumError> {
                match s { $($text => Ok($name::$variant),)+ _ => Err($crate::model::EnumError { kind: $kind, expected: Self::EXPECTED.trim_ascii_end() }) }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.as_str()) }
        }
    };
}
