import CRMStore
import CRMText
import CSodium
import Foundation

/// Setări e-mail: how messages leave — an SMTP server (host, port, security,
/// login) or the local sendmail — and whom they come from. Company-wide
/// (administrators) or a user's own, which wins for that user. The password is
/// kept sealed (libsodium's secretbox) with a key in a file beside the
/// database, never in the database in plain text.
public struct EmailSettings: Sendable, Equatable, Codable {
    public var transport: String = "smtp"
    public var host: String?
    public var port: Int?
    public var security: String = "starttls"
    public var user: String?
    /// The password sealed with the key file: base64 of nonce and box.
    public var sealedPassword: String?
    public var from: String?
    public var fromName: String?
    public var replyTo: String?
    public var sendmail: String = "/usr/sbin/sendmail"
    /// Where campaigns' bounces go (VERP): each message leaves with the envelope
    /// sender `local+RECIPIENT@domain`, so a bounce names its recipient by its address.
    public var bounces: String?

    public init() {}

    /// The envelope sender (VERP) of a campaign's message to one recipient:
    /// the bounce address with the recipient's UUID after a '+'; nil without a bounce address.
    public func envelopeSender(recipient uuid: String) -> String? {
        guard let bounces, let at = bounces.lastIndex(of: "@") else { return nil }
        return String(bounces[..<at]) + "+" + uuid + String(bounces[at...])
    }

    public var hasPassword: Bool { sealedPassword != nil }
    /// Whether enough is set to send: a server (or sendmail) and a From address.
    public var isComplete: Bool { from != nil && (transport == "sendmail" || host != nil) }
}

/// The fields of the e-mail settings as typed.
public enum EmailField: String, Sendable, CaseIterable {
    case transport, host, port, security, user, from, fromName, replyTo, sendmail, bounces

    public var label: Localized {
        switch self {
        case .transport: return .init(ro: "Transport (smtp sau sendmail)", en: "Transport (smtp or sendmail)")
        case .host: return .init(ro: "Server SMTP", en: "SMTP server")
        case .port: return .init(ro: "Port", en: "Port")
        case .security: return .init(ro: "Securitate (none, starttls, tls)", en: "Security (none, starttls, tls)")
        case .user: return .init(ro: "Utilizator", en: "User")
        case .from: return .init(ro: "Expeditor (e-mail)", en: "From (e-mail)")
        case .fromName: return .init(ro: "Nume expeditor", en: "From (name)")
        case .replyTo: return .init(ro: "Răspuns către", en: "Reply-To")
        case .sendmail: return .init(ro: "Programul sendmail", en: "The sendmail program")
        case .bounces: return .init(ro: "Adresă pentru respingeri (campanii, VERP)", en: "Bounce address (campaigns, VERP)")
        }
    }
}

extension CRM {
    static let emailSetting = "email"

    /// The settings a user sends with: their own if they have them, else the
    /// company's; and which they are ("user" or "company"; "none" when neither).
    public func emailSettings(for actor: Actor) throws -> (settings: EmailSettings, scope: String) {
        try read { r in
            let decoder = JSONDecoder()
            if let own = try r.fetchAll(UserSettingRecord.self, matching: ["user_id": .int(actor.id), "name": .text(Self.emailSetting)]).first,
               let settings = try? decoder.decode(EmailSettings.self, from: Data(own.value.utf8)) {
                return (settings, "user")
            }
            if let company = try r.fetchAll(AppSettingRecord.self, matching: ["name": .text(Self.emailSetting)]).first,
               let settings = try? decoder.decode(EmailSettings.self, from: Data(company.value.utf8)) {
                return (settings, "company")
            }
            return (EmailSettings(), "none")
        }
    }

    /// Changes the given fields (an empty value clears an optional one) and,
    /// when given, the password (empty: none) — the company's (administrators)
    /// or with `mine` the user's own. Checked: the transport, a port, the
    /// security, the addresses.
    @discardableResult
    public func setEmailSettings(_ changes: [EmailField: String], password: String? = nil, mine: Bool, by actor: Actor) throws -> EmailSettings {
        if !mine { try policy.authorize(actor, .admin, .administration) }
        var settings = try read { r -> EmailSettings in
            let decoder = JSONDecoder()
            let text = mine
                ? try r.fetchAll(UserSettingRecord.self, matching: ["user_id": .int(actor.id), "name": .text(Self.emailSetting)]).first?.value
                : try r.fetchAll(AppSettingRecord.self, matching: ["name": .text(Self.emailSetting)]).first?.value
            return text.flatMap { try? decoder.decode(EmailSettings.self, from: Data($0.utf8)) } ?? EmailSettings()
        }
        var issues: [ValidationIssue] = []
        for (field, raw) in changes {
            let value = raw.trimmed()
            let optional: String? = value.isEmpty ? nil : value
            switch field {
            case .transport:
                guard ["smtp", "sendmail"].contains(value) else {
                    issues.append(.init(field: "transport", value: raw, reason: .invalidChoice(allowed: ["smtp", "sendmail"]))); continue
                }
                settings.transport = value
            case .host: settings.host = optional
            case .port:
                guard let port = optional.map({ Int($0) }) ?? .some(nil), (port.map { (1...65_535).contains($0) } ?? true) else {
                    issues.append(.init(field: "port", value: raw, reason: .invalidNumber)); continue
                }
                settings.port = port
            case .security:
                guard ["none", "starttls", "tls"].contains(value) else {
                    issues.append(.init(field: "security", value: raw, reason: .invalidChoice(allowed: ["none", "starttls", "tls"]))); continue
                }
                settings.security = value
            case .user: settings.user = optional
            case .from, .replyTo, .bounces:
                if let optional, Email.normalize(optional) == nil {
                    issues.append(.init(field: field.rawValue, value: raw, reason: .invalidEmail)); continue
                }
                switch field {
                case .from: settings.from = optional
                case .replyTo: settings.replyTo = optional
                default: settings.bounces = optional
                }
            case .fromName: settings.fromName = optional
            case .sendmail: settings.sendmail = optional ?? "/usr/sbin/sendmail"
            }
        }
        // Choosing SMTP needs a server; emptying the server alone stops sending (the settings are then incomplete).
        if settings.transport == "smtp", settings.host == nil, changes[.transport] != nil {
            issues.append(.init(field: "host", value: "", reason: .required))
        }
        guard issues.isEmpty else { throw CoreError.invalid(issues) }
        if let password { settings.sealedPassword = password.isEmpty ? nil : try SecretKeyFile(path: store.path).seal(password) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(settings), as: UTF8.self)
        try write(actor, "email.settings") { w in
            if mine {
                if let row = try w.fetchAll(UserSettingRecord.self, matching: ["user_id": .int(actor.id), "name": .text(Self.emailSetting)]).first {
                    try w.update(UserSettingRecord.self, id: row.meta!.id, set: ["value": .text(text)])
                } else {
                    try w.insert(UserSettingRecord(userID: actor.id, name: Self.emailSetting, value: text))
                }
            } else if let row = try w.fetchAll(AppSettingRecord.self, matching: ["name": .text(Self.emailSetting)]).first {
                try w.update(AppSettingRecord.self, id: row.meta!.id, set: ["value": .text(text)])
            } else {
                try w.insert(AppSettingRecord(name: Self.emailSetting, value: text))
            }
        }
        return settings
    }

    /// The settings' password, unsealed with the key file (nil when there is none).
    public func emailPassword(_ settings: EmailSettings) throws -> String? {
        guard let sealed = settings.sealedPassword else { return nil }
        return try SecretKeyFile(path: store.path).open(sealed)
    }
}

/// The key that seals secrets kept in the database (the e-mail password): 32
/// random bytes in a file beside the database (`crm.sqlite.key`), made on first
/// use with the database file's permissions, so whoever may open the database
/// may send mail, and a copy of the database alone reveals no password.
public struct SecretKeyFile: Sendable {
    public let path: String

    public init(path databasePath: String) { path = databasePath + ".key" }

    private static let ready: Bool = sodium_init() >= 0

    func key() throws -> [UInt8] {
        _ = Self.ready
        let keyBytes = Int(crypto_secretbox_KEYBYTES)
        if let data = FileManager.default.contents(atPath: path) {
            guard data.count == keyBytes else {
                throw CoreError.refused(Localized(ro: "fișierul de cheie \(path) este deteriorat (nu are \(keyBytes) octeți)",
                                                  en: "the key file \(path) is damaged (it is not \(keyBytes) bytes)"))
            }
            return [UInt8](data)
        }
        var key = [UInt8](repeating: 0, count: keyBytes)
        randombytes_buf(&key, keyBytes)
        let database = String(path.dropLast(4))
        let mode = ((try? FileManager.default.attributesOfItem(atPath: database)[.posixPermissions]) as? NSNumber)?.uint16Value ?? 0o600
        guard FileManager.default.createFile(atPath: path, contents: Data(key), attributes: [.posixPermissions: mode & 0o660]) else {
            throw CoreError.refused(Localized(ro: "nu se poate scrie fișierul de cheie \(path)", en: "cannot write the key file \(path)"))
        }
        return key
    }

    func seal(_ secret: String) throws -> String {
        let key = try key()
        var nonce = [UInt8](repeating: 0, count: Int(crypto_secretbox_NONCEBYTES))
        randombytes_buf(&nonce, nonce.count)
        let message = Array(secret.utf8)
        var box = [UInt8](repeating: 0, count: message.count + Int(crypto_secretbox_MACBYTES))
        guard crypto_secretbox_easy(&box, message, UInt64(message.count), nonce, key) == 0 else {
            throw CoreError.refused(Localized(ro: "parola nu s-a putut sigila", en: "the password could not be sealed"))
        }
        return Data(nonce + box).base64EncodedString()
    }

    func open(_ sealed: String) throws -> String {
        let key = try key()
        let nonceBytes = Int(crypto_secretbox_NONCEBYTES), mac = Int(crypto_secretbox_MACBYTES)
        guard let data = Data(base64Encoded: sealed), data.count >= nonceBytes + mac else {
            throw CoreError.refused(Localized(ro: "parola salvată este deteriorată; introduceți-o din nou", en: "the saved password is damaged; type it again"))
        }
        let bytes = [UInt8](data)
        let nonce = Array(bytes[..<nonceBytes]), box = Array(bytes[nonceBytes...])
        var message = [UInt8](repeating: 0, count: box.count - mac)
        guard crypto_secretbox_open_easy(&message, box, UInt64(box.count), nonce, key) == 0 else {
            throw CoreError.refused(Localized(
                ro: "parola salvată nu se poate deschide cu cheia \(path) (altă cheie?); introduceți-o din nou",
                en: "the saved password cannot be opened with the key \(path) (another key?); type it again"))
        }
        return String(decoding: message, as: UTF8.self)
    }
}
