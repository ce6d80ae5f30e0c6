import CRMStore
import CRMText
import Foundation

/// The sections of an offer template (OFF-1), in the order a document prints them.
public enum OfferTemplateSection: String, Sendable, CaseIterable {
    case header, text1, text2, footer

    public var label: Localized {
        switch self {
        case .header: return .init(ro: "Antet", en: "Header")
        case .text1: return .init(ro: "Text 1", en: "Text 1")
        case .text2: return .init(ro: "Text 2", en: "Text 2")
        case .footer: return .init(ro: "Subsol", en: "Footer")
        }
    }

    public func text(of t: OfferTemplateRecord) -> String {
        switch self {
        case .header: return t.header
        case .text1: return t.text1
        case .text2: return t.text2
        case .footer: return t.footer
        }
    }
}

extension CRM {
    /// The template a new database starts with.
    static let standardTemplate = OfferTemplateRecord(
        name: "Standard",
        header: "**{{company.name}}**\n\n[dreapta] Către: **{{client.name}}**\nCUI {{client.cui}}\n{{client.address}}\nÎn atenția: {{client.contact}}",
        text1: "[centrat] **OFERTĂ nr. {{offer.number}} din {{offer.date}}**\n\nStimate client,\n\nVă mulțumim pentru interesul arătat. "
            + "Vă propunem produsele și serviciile de mai jos, la prețurile și în condițiile precizate.",
        text2: "Condiții:\n- prețurile sunt exprimate în {{offer.currency}};\n- oferta este valabilă până la {{offer.valid}};\n"
            + "- livrarea se face în 5 zile lucrătoare de la confirmarea comenzii.\n\nCu stimă,\n**{{user.name}}**\n{{user.email}} · {{user.phone}}",
        footer: "*{{company.name}} · document generat la {{date}}*")

    /// The offer templates by name (retired ones only when asked); a database
    /// without any gets the standard one.
    public func offerTemplates(includingRetired: Bool = false, for actor: Actor) throws -> [OfferTemplateRecord] {
        try policy.authorize(actor, .view, .offers)
        var stored = try read { try $0.fetchAll(OfferTemplateRecord.self, orderBy: ["name"]) }
        if stored.isEmpty {
            stored = [try write(nil, "offer_template.defaults") { try $0.insert(Self.standardTemplate) }]
        }
        return includingRetired ? stored : stored.filter { !$0.retired }
    }

    public func offerTemplate(_ name: String, for actor: Actor) throws -> OfferTemplateRecord {
        let all = try offerTemplates(includingRetired: true, for: actor)
        guard let found = all.first(where: { Fold.key($0.name) == Fold.key(name.trimmed()) }) else {
            throw CoreError.notFound(what: Localized(ro: "șablonul de ofertă", en: "offer template"), ref: name)
        }
        return found
    }

    /// Adds a template (administrators); its sections' placeholders must be known ones.
    @discardableResult
    public func addOfferTemplate(_ name: String, _ sections: [OfferTemplateSection: String], logo: [UInt8]? = nil,
                                 by actor: Actor) throws -> OfferTemplateRecord {
        try policy.authorize(actor, .admin, .administration)
        let clean = try OfferTemplateRules.name(name)
        try OfferTemplateRules.check(sections, logo: logo)
        _ = try offerTemplates(includingRetired: true, for: actor)
        return try write(actor, "offer_template.add") { w in
            if try w.fetchAll(OfferTemplateRecord.self).contains(where: { Fold.key($0.name) == Fold.key(clean) }) {
                throw CoreError.invalid([.init(field: "name", value: clean, reason: .duplicate(of: clean))])
            }
            var template = OfferTemplateRecord(name: clean, header: sections[.header] ?? "", text1: sections[.text1] ?? "",
                                               text2: sections[.text2] ?? "", footer: sections[.footer] ?? "")
            if let logo, !logo.isEmpty {
                template.logo = NoteRules.sha256(logo)
                _ = try NoteRules.storeBlob(logo, in: w)
            }
            return try w.insert(template)
        }
    }

    /// Changes a template's sections (those given), its name, its logo (an
    /// empty array removes it) or retires it (administrators).
    @discardableResult
    public func editOfferTemplate(_ name: String, _ sections: [OfferTemplateSection: String], rename: String? = nil, logo: [UInt8]? = nil,
                                  retired: Bool? = nil, by actor: Actor) throws -> OfferTemplateRecord {
        try policy.authorize(actor, .admin, .administration)
        try OfferTemplateRules.check(sections, logo: logo)
        let current = try offerTemplate(name, for: actor)
        let newName = try rename.map(OfferTemplateRules.name)
        return try write(actor, "offer_template.edit") { w in
            var set: [String: Value] = [:]
            for (section, text) in sections { set[section.rawValue] = .text(text) }
            if let newName {
                if try w.fetchAll(OfferTemplateRecord.self).contains(where: { Fold.key($0.name) == Fold.key(newName) && $0.meta?.id != current.meta?.id }) {
                    throw CoreError.invalid([.init(field: "name", value: newName, reason: .duplicate(of: newName))])
                }
                set["name"] = .text(newName)
            }
            if let logo {
                set["logo"] = logo.isEmpty ? .null : .text(NoteRules.sha256(logo))
                if !logo.isEmpty { _ = try NoteRules.storeBlob(logo, in: w) }
            }
            if let retired { set["retired"] = .bool(retired) }
            if !set.isEmpty { try w.update(OfferTemplateRecord.self, id: current.meta!.id, set: set) }
            return try w.fetch(OfferTemplateRecord.self, id: current.meta!.id)!
        }
    }

    /// A template's logo (PNG or JPEG bytes), if it has one.
    public func logo(of template: OfferTemplateRecord) throws -> [UInt8]? {
        guard let hash = template.logo else { return nil }
        return try read { r in try r.blobID(hash: hash).flatMap { try r.fetch(FileBlobRecord.self, id: $0)?.data } }
    }
}

enum OfferTemplateRules {
    static func name(_ raw: String) throws -> String {
        var issues: [ValidationIssue] = []
        guard case .text(let clean) = FieldRules.text(raw, field: "name", max: 80, issues: &issues) else {
            throw CoreError.invalid(issues.isEmpty ? [.init(field: "name", value: raw, reason: .required)] : issues)
        }
        return clean
    }

    /// Each section at most 20,000 characters with known placeholders; a logo is a PNG or a JPEG.
    static func check(_ sections: [OfferTemplateSection: String], logo: [UInt8]?) throws {
        var issues: [ValidationIssue] = []
        for section in OfferTemplateSection.allCases {
            guard let text = sections[section] else { continue }
            if text.count > 20_000 { issues.append(.init(field: section.rawValue, value: "", reason: .tooLong(max: 20_000))) }
            for unknown in TemplateText.unknownPlaceholders(in: text) {
                issues.append(.init(field: section.rawValue, value: "{{\(unknown)}}",
                                    reason: .invalidChoice(allowed: TemplateText.placeholders.map { "{{\($0.name)}}" })))
            }
        }
        if let logo, !Logo.isImage(logo) {
            issues.append(.init(field: "logo", value: "", reason: .invalidChoice(allowed: ["PNG", "JPEG"])))
        }
        guard issues.isEmpty else { throw CoreError.invalid(issues) }
    }
}
