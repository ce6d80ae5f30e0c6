import Foundation

/// The interface language: Romanian first, English complete.
public enum Language: String, Sendable, CaseIterable {
    case ro, en

    /// `CRM_LANG` wins; then the POSIX locale variables. Romanian unless English is asked for.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) -> Language {
        for key in ["CRM_LANG", "LC_ALL", "LC_MESSAGES", "LANG"] {
            guard let v = env[key]?.lowercased(), !v.isEmpty else { continue }
            if v.hasPrefix("en") { return .en }
            if v.hasPrefix("ro") { return .ro }
            if key == "CRM_LANG" { continue }
            if v != "c" && v != "posix" && !v.hasPrefix("c.") { return .ro }
        }
        return .ro
    }
}

/// A text in both languages.
public struct Localized: Sendable, Hashable {
    public let ro: String
    public let en: String
    public init(ro: String, en: String) { self.ro = ro; self.en = en }
    public func text(_ lang: Language) -> String { lang == .ro ? ro : en }
}
