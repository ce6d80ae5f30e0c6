import ArgumentParser
import CRMCore
import CRMDocuments
import CRMMail
import CRMStore
import Foundation

/// `crm maillist`: e-mail lists (CMP-1).
struct MailListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "maillist", abstract: "E-mail lists: made from accounts' contacts or typed addresses, each address once per list.",
        subcommands: [List.self, Show.self, AddAccounts.self, AddAddress.self, Import.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Addresses from an .xlsx or .csv file (columns E-mail and, if any, Nume) onto a list; a bad row stops it all unless --skip-invalid.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The list (made if new).") var name: String
        @Argument(help: "The file.") var file: String
        @Flag(help: "Take the good rows and name the bad ones.") var skipInvalid = false
        func run() throws {
            let s = try Session.open(database)
            let rows = try MailListImport.rows(path: file)
            let named = rows.rejected.map { s.t("rândul \($0.line): «\($0.value)»", "row \($0.line): «\($0.value)»") }.joined(separator: "; ")
            if !rows.rejected.isEmpty && !skipInvalid {
                throw CLIError(message: Localized(ro: "adrese greșite (\(named)); nu s-a importat nimic (--skip-invalid ia rândurile bune)",
                                                  en: "bad addresses (\(named)); nothing was imported (--skip-invalid takes the good rows)"))
            }
            let r = try s.crm.addAddressesToMailList(name, rows.addresses, by: s.actor)
            s.print(s.t("\(r.added) adrese adăugate, \(r.already) erau deja în listă", "\(r.added) addresses added, \(r.already) already on the list")
                    + (rows.rejected.isEmpty ? "" : s.t("; respinse: ", "; rejected: ") + named))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The lists and how many addresses each has.")
        @OptionGroup var database: DatabaseOptions
        func run() throws {
            let s = try Session.open(database)
            s.print(TextTable(headers: [s.t("Listă", "List"), s.t("Adrese", "Addresses")],
                              rows: try s.crm.mailLists(for: s.actor).map { [$0.list.name, "\($0.members)"] }).render())
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A list's addresses.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The list.") var name: String
        func run() throws {
            let s = try Session.open(database)
            let members = try s.crm.mailListMembers(name, for: s.actor)
            if output.json {
                s.printJSON(.array(members.map { .object([("email", .string($0.email)), ("name", .optional($0.name))]) }))
                return
            }
            s.print(TextTable(headers: ["E-mail", s.t("Nume", "Name")], rows: members.map { [$0.email, $0.name ?? ""] }).render())
        }
    }

    struct AddAccounts: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-accounts",
            abstract: "Adăugare la lista e-mail: accounts' primary contacts (--all-contacts: every contact with an address); the list is made if new.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The list.") var name: String
        @Argument(help: "Accounts (code, CUI, name, UUID).") var accounts: [String]
        @Flag(help: "Every contact with an address, not only the primary one.") var allContacts = false
        func run() throws {
            let s = try Session.open(database)
            let r = try s.crm.addAccountsToMailList(name, accounts: accounts, allContacts: allContacts, by: s.actor)
            s.print(s.t("\(r.added) adrese adăugate, \(r.already) erau deja în listă", "\(r.added) addresses added, \(r.already) already on the list")
                    + (r.withoutAddress.isEmpty ? "" : s.t("; fără adresă: ", "; without an address: ") + r.withoutAddress.joined(separator: ", ")))
        }
    }

    struct AddAddress: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add-address", abstract: "Addresses typed onto a list (\"Ana Pop <ana@x.ro>\").")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The list.") var name: String
        @Argument(help: "Addresses.") var addresses: [String]
        func run() throws {
            let s = try Session.open(database)
            let parsed = try MailboxAddress.list(addresses.joined(separator: ","), field: "address")
            let r = try s.crm.addAddressesToMailList(name, parsed, by: s.actor)
            s.print(s.t("\(r.added) adrese adăugate, \(r.already) erau deja în listă", "\(r.added) addresses added, \(r.already) already on the list"))
        }
    }
}

/// `crm suppression`: addresses no campaign mails.
struct SuppressionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suppression", abstract: "The suppression list: unsubscribed, hard-bounced or added by hand; never mailed by a campaign.",
        subcommands: [List.self, Add.self, Remove.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The suppressed addresses and why.")
        @OptionGroup var database: DatabaseOptions
        func run() throws {
            let s = try Session.open(database)
            s.print(TextTable(headers: ["E-mail", s.t("Motiv", "Reason"), s.t("Detalii", "Details")],
                              rows: try s.crm.suppressions(for: s.actor).map { [$0.email, $0.reason, $0.detail ?? ""] }).render())
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Suppress an address by hand.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The address.") var email: String
        @Option(help: "Why.") var detail: String?
        func run() throws {
            let s = try Session.open(database)
            try s.crm.suppress(email, reason: .manual, detail: detail, by: s.actor)
            s.print(s.t("Adresă exclusă: ", "Address suppressed: ") + email)
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Take an address off the suppression list.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The address.") var email: String
        func run() throws {
            let s = try Session.open(database)
            try s.crm.unsuppress(email, by: s.actor)
            s.print(s.t("Adresă readusă: ", "Address restored: ") + email)
        }
    }
}

/// `crm campaign`: e-mail campaigns (CMP-2, CMP-4).
struct CampaignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "campaign",
        abstract: "E-mail campaigns: a list, a subject and a message; started, paused, resumed, cancelled; sent by crm campaign run.",
        subcommands: [Add.self, Start.self, Pause.self, Resume.self, Cancel.self, Status.self, Run.self, Resolve.self, Bounces.self, Report.self,
                      Template.self])

    /// `crm campaign template`: templates made of blocks (CMP-3).
    struct Template: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Campaign templates made of blocks (title, text, image, button, divider), rendered as e-mail-safe HTML and text.",
            subcommands: [Save.self, Show.self, List.self])

        struct Save: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Save a template from a JSON file: [{\"kind\": \"title\", \"text\": \"…\"}, {\"kind\": \"button\", \"text\": \"…\", \"link\": \"https://…\"}, …]")
            @OptionGroup var database: DatabaseOptions
            @Argument(help: "Its name.") var name: String
            @Option(help: "The blocks, as JSON.") var blocksFile: String
            func run() throws {
                let s = try Session.open(database)
                guard let data = FileManager.default.contents(atPath: blocksFile) else {
                    throw CLIError(message: Localized(ro: "fișierul «\(blocksFile)» nu există sau nu se poate citi", en: "the file «\(blocksFile)» does not exist or cannot be read"))
                }
                let blocks: [MailBlock]
                do { blocks = try JSONDecoder().decode([MailBlock].self, from: data) } catch {
                    throw CLIError(message: Localized(ro: "«\(blocksFile)» nu este o listă de blocuri JSON (kind: title, text, image, button, divider): \(error)",
                                                      en: "«\(blocksFile)» is not a JSON list of blocks (kind: title, text, image, button, divider): \(error)"))
                }
                try s.crm.saveBlockTemplate(name, blocks, by: s.actor)
                s.print(s.t("Șablon salvat: \(name) (\(blocks.count) blocuri)", "Template saved: \(name) (\(blocks.count) blocks)"))
            }
        }

        struct Show: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "A template as text, or its HTML (--html, or -o FILE.html).")
            @OptionGroup var database: DatabaseOptions
            @Argument(help: "The name.") var name: String
            @Flag(help: "The HTML instead of the text.") var html = false
            @Option(name: [.customShort("o"), .customLong("output")], help: "Write the HTML to this file.") var file: String?
            func run() throws {
                let s = try Session.open(database)
                let blocks = try s.crm.blockTemplate(name, for: s.actor)
                if let file {
                    try BlockRenderer.html(blocks).write(toFile: file, atomically: true, encoding: .utf8)
                    s.print(s.t("HTML scris în \(file)", "HTML written to \(file)"))
                    return
                }
                s.print(html ? BlockRenderer.html(blocks) : BlockRenderer.text(blocks))
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "The templates and their blocks.")
            @OptionGroup var database: DatabaseOptions
            func run() throws {
                let s = try Session.open(database)
                s.print(TextTable(headers: [s.t("Nume", "Name"), s.t("Blocuri", "Blocks")],
                                  rows: try s.crm.blockTemplates(for: s.actor).map { [$0.name, $0.blocks.map(\.kind.rawValue).joined(separator: ", ")] }).render())
            }
        }
    }

    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A campaign's report: Contacts, Sent, Opened, Clicked, Bounced, Unsubscribed — the counts, or one list (--list), exported with -o; --links: the clicks per link; --link N: who clicked link N.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The campaign.") var name: String
        @Option(help: "contacts, sent, opened, clicked, bounced or unsubscribed.") var list: CampaignReportList?
        @Flag(help: "Each link clicked: recipients who clicked it and clicks, the most clicked first.") var links = false
        @Option(help: "Who clicked this link (its number in --links, or its address).") var link: String?
        @Option(name: [.customShort("o"), .customLong("output")], help: "Export the list to this .xlsx or .csv file.") var file: String?
        func run() throws {
            let s = try Session.open(database)
            let report = try s.crm.campaignReport(name, for: s.actor)
            if links {
                let (headers, rows) = CampaignReportTable.links(report, language: s.lang)
                s.print(TextTable(headers: ["#"] + headers, rows: rows.enumerated().map { ["\($0.offset + 1)"] + $0.element }).render())
                return
            }
            let table: CampaignReportTable
            if let link {
                let url = Int(link).flatMap { n in report.links.indices.contains(n - 1) ? report.links[n - 1].url : nil } ?? link
                guard report.links.contains(where: { $0.url == url }) else {
                    throw CLIError(message: Localized(ro: "linkul «\(link)» nu are clicuri în această campanie (vedeți --links)",
                                                      en: "the link «\(link)» has no clicks in this campaign (see --links)"))
                }
                table = CampaignReportTable(report, link: url, language: s.lang)
            } else if let list {
                table = CampaignReportTable(report, list: list, language: s.lang)
            } else {
                s.print(RecordSheet(CampaignReportList.allCases.map { ($0.rawValue, "\(report.members($0).count)") }).render())
                return
            }
            if let file {
                try s.crm.policy.authorize(s.actor, .export, .accounts)
                try table.export(to: file, language: s.lang)
                s.print(s.t("\(table.rows.count) rânduri exportate în \(file)", "\(table.rows.count) rows exported to \(file)"))
                return
            }
            s.print(TextTable(headers: table.headers, rows: table.rows).render())
        }
    }

    struct Bounces: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read bounce reports (RFC 3464) from a Maildir or an mbox: hard ones bounce their recipients and suppress the addresses.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "A Maildir (its new/ and cur/).") var maildir: String?
        @Option(help: "An mbox file.") var mbox: String?
        @Option(help: "Only this campaign's recipients.") var campaign: String?
        func run() throws {
            let s = try Session.open(database)
            guard maildir != nil || mbox != nil else {
                throw CLIError(message: Localized(ro: "dați --maildir sau --mbox", en: "give --maildir or --mbox"))
            }
            var hard = 0, soft = 0, unmatched: [String] = []
            for message in try BounceReader.messages(maildir: maildir, mbox: mbox) {
                for bounce in BounceReader.bounces(in: message) {
                    let reply = ([bounce.status] + [bounce.diagnostic].compactMap { $0 }).joined(separator: " ")
                    let match = try s.crm.recordBounce(entry: bounce.entry, address: bounce.recipient, hard: bounce.isHard, reply: reply,
                                                       campaign: campaign, by: s.actor)
                    if match == .none { unmatched.append(bounce.recipient ?? bounce.entry ?? "?"); continue }
                    if bounce.isHard { hard += 1 } else { soft += 1 }
                }
            }
            s.print(s.t("Respingeri definitive: \(hard), temporare: \(soft)", "Hard bounces: \(hard), soft: \(soft)")
                    + (unmatched.isEmpty ? "" : s.t("; fără destinatar cunoscut: ", "; no known recipient: ") + unmatched.joined(separator: ", ")))
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A new campaign (draft) with your e-mail settings' sender.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Its name.") var name: String
        @Option(help: "The list.") var list: String
        @Option(help: "The subject ({{client.name}}, {{client.contact}}…).") var subject: String
        @Option(help: "The text.") var text: String?
        @Option(help: "The text from a file.") var textFile: String?
        @Option(help: "An HTML alternative from a file.") var htmlFile: String?
        @Option(help: "A template of blocks (crm campaign template list): its HTML and text.") var blocks: String?
        @Option(help: "The sender, \"Nume <adresa@firma.ro>\" (default: your e-mail settings').") var from: String?
        @Option(help: "Seconds between two messages (default 5; 0: as fast as the server takes them).") var interval: Double = 5
        func run() throws {
            let s = try Session.open(database)
            let body = try textFile.map { try String(contentsOfFile: $0, encoding: .utf8) } ?? text ?? ""
            let html = try htmlFile.map { try String(contentsOfFile: $0, encoding: .utf8) }
            let added = try s.crm.addCampaign(name: name, list: list, subject: subject, text: body, html: html, blocks: blocks, from: from,
                                              intervalMs: Int64((interval * 1000).rounded()), by: s.actor)
            s.print(s.t("Campanie adăugată: ", "Campaign added: ") + added.name)
        }
    }

    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Start campanie: its recipients taken from the list (suppressed ones skipped); crm campaign run sends.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The campaign.") var name: String
        func run() throws {
            let s = try Session.open(database)
            let c = try s.crm.startCampaign(name, by: s.actor)
            s.print(s.t("Campania rulează: \(c.count(.queued)) în așteptare, \(c.count(.skipped)) excluse",
                        "The campaign runs: \(c.count(.queued)) queued, \(c.count(.skipped)) skipped"))
        }
    }

    struct Pause: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pause: the sender stops after the message in hand.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The campaign.") var name: String
        func run() throws {
            let s = try Session.open(database)
            try s.crm.setCampaignStatus(name, .paused, by: s.actor)
            s.print(s.t("Campanie oprită temporar", "Campaign paused"))
        }
    }

    struct Resume: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Resume a paused campaign.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The campaign.") var name: String
        func run() throws {
            let s = try Session.open(database)
            try s.crm.startCampaign(name, by: s.actor)
            s.print(s.t("Campania rulează din nou", "The campaign runs again"))
        }
    }

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel: the queued recipients are never sent.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The campaign.") var name: String
        func run() throws {
            let s = try Session.open(database)
            try s.crm.setCampaignStatus(name, .cancelled, by: s.actor)
            s.print(s.t("Campanie anulată", "Campaign cancelled"))
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Where a campaign is: its recipients by state; those left in hand by a stopped sender.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The campaign.") var name: String
        func run() throws {
            let s = try Session.open(database)
            let c = try s.crm.campaign(name, for: s.actor)
            if output.json {
                s.printJSON(.object([("name", .string(c.name)), ("list", .string(c.list)), ("status", .string(c.record.status))]
                                    + RecipientState.allCases.map { ($0.rawValue, .int(Int64(c.count($0)))) }
                                    + [("opened", .int(Int64(c.opened))), ("clicked", .int(Int64(c.clicked)))]))
                return
            }
            s.print(RecordSheet([(s.t("Campanie", "Campaign"), c.name), (s.t("Listă", "List"), c.list), (s.t("Stare", "Status"), c.record.status)]
                                + RecipientState.allCases.map { ($0.rawValue, "\(c.count($0))") }
                                + [(s.t("deschise", "opened"), "\(c.opened)"), (s.t("cu clic", "clicked"), "\(c.clicked)")]).render())
            if c.count(.sending) > 0 {
                s.print(s.t("\(c.count(.sending)) destinatari sunt în curs de trimitere; dacă niciun expeditor nu mai rulează, verificați jurnalul serverului: crm campaign resolve \(c.name) --sent sau --resend",
                            "\(c.count(.sending)) recipients are being sent; if no sender runs any more, check the server's log: crm campaign resolve \(c.name) --sent or --resend"))
            }
        }
    }

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send a running campaign until it is finished, paused or cancelled (SIGTERM: after the message in hand).")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The campaign.") var name: String
        @Option(help: "Seconds before the first retry of a message refused for now (it doubles, up to 10 minutes).") var retryAfter: Double = 5
        @Option(help: "Connections to the server at once (each keeps the interval between its own messages).") var connections = 1
        func run() throws {
            let s = try Session.open(database)
            signal(SIGTERM) { _ in CampaignCommand.stopRequested.store(true) }
            signal(SIGINT) { _ in CampaignCommand.stopRequested.store(true) }
            signal(SIGPIPE, SIG_IGN)
            let summary = try CampaignRunner(crm: s.crm, actor: s.actor, retryAfter: Int64((retryAfter * 1000).rounded())).run(name, connections: max(1, connections), log: { line in
                FileHandle.standardError.write(Data(("crm campaign: " + line + "\n").utf8))
            }, shouldStop: { CampaignCommand.stopRequested.load() })
            s.print(s.t("Trimise \(summary.sent), amânate \(summary.deferred), respinse \(summary.bounced)",
                        "Sent \(summary.sent), deferred \(summary.deferred), bounced \(summary.bounced)")
                    + (summary.finished ? s.t(" · campania s-a încheiat", " · the campaign is finished") : ""))
        }
    }

    struct Resolve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Decide on the recipients left \"sending\" by a sender that stopped: --sent (they got it) or --resend.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The campaign.") var name: String
        @Flag(help: "Mark them sent.") var sent = false
        @Flag(help: "Queue them to be sent again.") var resend = false
        func run() throws {
            let s = try Session.open(database)
            guard sent != resend else {
                throw CLIError(message: Localized(ro: "alegeți --sent sau --resend", en: "choose --sent or --resend"))
            }
            let n = try s.crm.resolveUncertain(name, sent: sent, by: s.actor)
            s.print(s.t("\(n) destinatari rezolvați", "\(n) recipients resolved"))
        }
    }

    /// Set by SIGTERM or SIGINT: the sender stops after the message in hand.
    static let stopRequested = StopFlag()
}

/// A flag a signal handler sets and the sending loop reads.
final class StopFlag: @unchecked Sendable {
    private var value: sig_atomic_t = 0
    func store(_ on: Bool) { value = on ? 1 : 0 }
    func load() -> Bool { value != 0 }
}

extension CampaignReportList: ExpressibleByArgument {}
