/// An e-mail list (CMP-1).
public struct MailListRecord: Record, Equatable {
    public static let table = "mail_list"
    public static let columns = ["name"]
    public var meta: RowMeta?
    public var name: String

    public init(name: String) { self.name = name }
    public init(meta: RowMeta?, fields f: Fields) {
        self.init(name: f.string("name"))
        self.meta = meta
    }
    public var values: [Value] { [.text(name)] }
}

/// An address on a list (once per list, by `email_key`), from an account's contact or typed or imported.
public struct MailListMemberRecord: Record, Equatable {
    public static let table = "mail_list_member"
    public static let columns = ["list_id", "email", "email_key", "name", "account_id"]
    public var meta: RowMeta?
    public var listID: Int64
    public var email: String
    public var emailKey: String
    public var name: String?
    public var accountID: Int64?

    public init(listID: Int64, email: String, name: String?, accountID: Int64?) {
        self.listID = listID; self.email = email; self.emailKey = email.lowercased(); self.name = name; self.accountID = accountID
    }
    public init(meta: RowMeta?, fields f: Fields) {
        self.init(listID: f.int("list_id") ?? 0, email: f.string("email"), name: f.text("name"), accountID: f.int("account_id"))
        emailKey = f.string("email_key")
        self.meta = meta
    }
    public var values: [Value] { [.int(listID), .text(email), .text(emailKey), .optional(name), .optional(accountID)] }
}

/// An address no campaign mails: unsubscribed, hard-bounced or added by hand.
public struct SuppressionRecord: Record, Equatable {
    public static let table = "suppression"
    public static let columns = ["email", "email_key", "reason", "detail"]
    public var meta: RowMeta?
    public var email: String
    public var emailKey: String
    public var reason: String
    public var detail: String?

    public init(email: String, reason: String, detail: String?) {
        self.email = email; self.emailKey = email.lowercased(); self.reason = reason; self.detail = detail
    }
    public init(meta: RowMeta?, fields f: Fields) {
        self.init(email: f.string("email"), reason: f.string("reason"), detail: f.text("detail"))
        emailKey = f.string("email_key")
        self.meta = meta
    }
    public var values: [Value] { [.text(email), .text(emailKey), .text(reason), .optional(detail)] }
}

/// A campaign (CMP-2): a list, a sender, a subject and a message, how fast, and where it is.
public struct CampaignRecord: Record, Equatable {
    public static let table = "campaign"
    public static let columns = ["name", "list_id", "sender", "subject", "text", "html", "status", "interval_ms", "started_at", "finished_at"]
    public var meta: RowMeta?
    public var name: String
    public var listID: Int64
    public var sender: String
    public var subject: String
    public var text: String
    public var html: String?
    public var status: String
    public var intervalMs: Int64
    public var startedAt: Int64?
    public var finishedAt: Int64?

    public init(name: String, listID: Int64, sender: String, subject: String, text: String, html: String?, intervalMs: Int64) {
        self.name = name; self.listID = listID; self.sender = sender; self.subject = subject; self.text = text; self.html = html
        self.status = "draft"; self.intervalMs = intervalMs
    }
    public init(meta: RowMeta?, fields f: Fields) {
        self.init(name: f.string("name"), listID: f.int("list_id") ?? 0, sender: f.string("sender"), subject: f.string("subject"),
                  text: f.string("text"), html: f.text("html"), intervalMs: f.int("interval_ms") ?? 5000)
        status = f.text("status") ?? "draft"; startedAt = f.int("started_at"); finishedAt = f.int("finished_at")
        self.meta = meta
    }
    public var values: [Value] {
        [.text(name), .int(listID), .text(sender), .text(subject), .text(text), .optional(html), .text(status), .int(intervalMs),
         .optional(startedAt), .optional(finishedAt)]
    }
}

/// One recipient of a campaign and where its message is: queued, sending (claimed, not known to be sent),
/// sent, failed, bounced or skipped (suppressed).
public struct CampaignRecipientRecord: Record, Equatable {
    public static let table = "campaign_recipient"
    public static let columns = ["campaign_id", "email", "email_key", "name", "account_id", "state", "attempts", "next_at", "reply",
                                 "sent_at", "message_id", "opens", "opened_at", "clicks", "clicked_at"]
    public var meta: RowMeta?
    public var campaignID: Int64
    public var email: String
    public var emailKey: String
    public var name: String?
    public var accountID: Int64?
    public var state: String
    public var attempts: Int64 = 0
    public var nextAt: Int64 = 0
    public var reply: String?
    public var sentAt: Int64?
    public var messageID: String?
    public var opens: Int64 = 0
    public var openedAt: Int64?
    public var clicks: Int64 = 0
    public var clickedAt: Int64?

    public init(campaignID: Int64, email: String, name: String?, accountID: Int64?, state: String = "queued", reply: String? = nil) {
        self.campaignID = campaignID; self.email = email; self.emailKey = email.lowercased(); self.name = name; self.accountID = accountID
        self.state = state; self.reply = reply
    }
    public init(meta: RowMeta?, fields f: Fields) {
        self.init(campaignID: f.int("campaign_id") ?? 0, email: f.string("email"), name: f.text("name"), accountID: f.int("account_id"),
                  state: f.text("state") ?? "queued", reply: f.text("reply"))
        emailKey = f.string("email_key"); attempts = f.int("attempts") ?? 0; nextAt = f.int("next_at") ?? 0
        sentAt = f.int("sent_at"); messageID = f.text("message_id")
        opens = f.int("opens") ?? 0; openedAt = f.int("opened_at"); clicks = f.int("clicks") ?? 0; clickedAt = f.int("clicked_at")
        self.meta = meta
    }
    public var values: [Value] {
        [.int(campaignID), .text(email), .text(emailKey), .optional(name), .optional(accountID), .text(state), .int(attempts), .int(nextAt),
         .optional(reply), .optional(sentAt), .optional(messageID), .int(opens), .optional(openedAt), .int(clicks), .optional(clickedAt)]
    }
}

/// A named campaign template made of blocks (their JSON).
public struct BlockTemplateRecord: Record, Equatable {
    public static let table = "block_template"
    public static let columns = ["name", "blocks"]
    public var meta: RowMeta?
    public var name: String
    public var blocks: String

    public init(name: String, blocks: String) { self.name = name; self.blocks = blocks }
    public init(meta: RowMeta?, fields f: Fields) {
        self.init(name: f.string("name"), blocks: f.text("blocks") ?? "[]")
        self.meta = meta
    }
    public var values: [Value] { [.text(name), .text(blocks)] }
}

/// One recipient's clicks on one link of a campaign.
public struct CampaignClickRecord: Record, Equatable {
    public static let table = "campaign_click"
    public static let columns = ["campaign_id", "recipient_id", "url", "clicks", "clicked_at"]
    public var meta: RowMeta?
    public var campaignID: Int64
    public var recipientID: Int64
    public var url: String
    public var clicks: Int64
    public var clickedAt: Int64?

    public init(campaignID: Int64, recipientID: Int64, url: String, clicks: Int64, clickedAt: Int64?) {
        self.campaignID = campaignID; self.recipientID = recipientID; self.url = url; self.clicks = clicks; self.clickedAt = clickedAt
    }
    public init(meta: RowMeta?, fields f: Fields) {
        self.init(campaignID: f.int("campaign_id") ?? 0, recipientID: f.int("recipient_id") ?? 0, url: f.string("url"),
                  clicks: f.int("clicks") ?? 0, clickedAt: f.int("clicked_at"))
        self.meta = meta
    }
    public var values: [Value] { [.int(campaignID), .int(recipientID), .text(url), .int(clicks), .optional(clickedAt)] }
}
