import GRDB

/// The database schema, as numbered migrations. `PRAGMA user_version` holds the
/// number of the last one applied and `PRAGMA application_id` marks the file as ours.
enum Schema {
    /// "CRM1" in ASCII: every file this program creates carries it.
    static let applicationID: Int32 = 0x4352_4D31

    static let migrations: [(version: Int, apply: @Sendable (Database) throws -> Void)] = [
        (1, v1),
        (2, v2),
        (3, v3),
        (4, v4),
        (5, v5),
        (6, v6),
        (7, v7),
        (8, v8),
        (9, v9),
        (10, v10),
        (11, v11),
        (12, v12),
        (13, v13),
        (14, v14),
        (15, v15),
        (16, v16),
        (17, v17),
        (18, v18),
    ]

    static var currentVersion: Int { migrations.last!.version }

    /// Indexes whose keys arrive in random order during a bulk load (names,
    /// CUIs): cheaper to build once at the end. Indexes on increasing
    /// keys (ids, time-ordered UUIDs, codes) stay live.
    static let bulkDeferredIndexes: Set<String> = [
        "account_name", "account_folder_name", "account_cui", "contact_account", "account_zone_folder",
        "work_item_order_amount", "work_item_order_due", "work_item_order_close", "work_item_order_reminder", "work_item_zone_stage",
        "work_item_due_sums", "work_item_due_owner", "work_item_stage_due", "account_email", "contact_email",
    ]

    /// Columns every entity table has: identity, who and when, version counter.
    private static let meta = """
        id INTEGER PRIMARY KEY,
        uuid BLOB NOT NULL UNIQUE CHECK (length(uuid) = 16),
        created_at INTEGER NOT NULL,
        created_by INTEGER REFERENCES user(id),
        updated_at INTEGER NOT NULL,
        updated_by INTEGER REFERENCES user(id),
        version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1)
        """

    private static func flag(_ name: String, _ value: Int = 0) -> String {
        "\(name) INTEGER NOT NULL DEFAULT \(value) CHECK (\(name) IN (0, 1))"
    }

    static func v1(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE user (
                \(meta),
                login TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (login <> ''),
                name TEXT NOT NULL CHECK (name <> ''),
                email TEXT,
                mobile TEXT,
                password_hash TEXT,
                unix_login TEXT UNIQUE,
                \(flag("is_admin")),
                \(flag("disabled"))
            );

            CREATE TABLE zone (
                \(meta),
                name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (name <> '')
            );

            CREATE TABLE user_zone (
                \(meta),
                user_id INTEGER NOT NULL REFERENCES user(id),
                zone_id INTEGER NOT NULL REFERENCES zone(id),
                UNIQUE (user_id, zone_id)
            );
            CREATE INDEX user_zone_zone ON user_zone(zone_id);

            CREATE TABLE folder (
                \(meta),
                parent_id INTEGER REFERENCES folder(id),
                name TEXT NOT NULL CHECK (name <> ''),
                name_key TEXT NOT NULL,
                depth INTEGER NOT NULL CHECK (depth BETWEEN 0 AND 4),
                CHECK ((parent_id IS NULL) = (depth = 0))
            );
            CREATE UNIQUE INDEX folder_single_root ON folder(depth) WHERE depth = 0;
            CREATE UNIQUE INDEX folder_sibling_name ON folder(parent_id, name_key) WHERE parent_id IS NOT NULL;
            CREATE TRIGGER folder_depth_insert BEFORE INSERT ON folder
            WHEN NEW.parent_id IS NOT NULL
             AND NEW.depth IS NOT (SELECT depth + 1 FROM folder WHERE id = NEW.parent_id)
            BEGIN SELECT RAISE(ABORT, 'folder depth must be its parent''s depth + 1'); END;
            CREATE TRIGGER folder_depth_update BEFORE UPDATE OF parent_id, depth ON folder
            WHEN NEW.parent_id IS NOT NULL
             AND NEW.depth IS NOT (SELECT depth + 1 FROM folder WHERE id = NEW.parent_id)
            BEGIN SELECT RAISE(ABORT, 'folder depth must be its parent''s depth + 1'); END;

            CREATE TABLE account (
                \(meta),
                code TEXT CHECK (code <> ''),
                name TEXT NOT NULL CHECK (name <> ''),
                name_key TEXT NOT NULL,
                kind TEXT NOT NULL DEFAULT 'company' CHECK (kind IN ('company', 'person')),
                cui TEXT,
                trade_register TEXT,
                \(flag("vat_payer")),
                address TEXT,
                city TEXT,
                county TEXT,
                country TEXT NOT NULL DEFAULT 'RO',
                zone_id INTEGER REFERENCES zone(id),
                phone TEXT,
                mobile TEXT,
                email TEXT,
                website TEXT,
                iban TEXT,
                bank TEXT,
                owner_id INTEGER REFERENCES user(id),
                folder_id INTEGER NOT NULL REFERENCES folder(id),
                tags TEXT,
                notes TEXT,
                custom TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(custom))
            );
            CREATE UNIQUE INDEX account_code ON account(code) WHERE code IS NOT NULL;
            CREATE INDEX account_name ON account(name_key, id);
            CREATE INDEX account_folder_name ON account(folder_id, name_key, id);
            CREATE INDEX account_cui ON account(cui) WHERE cui IS NOT NULL;

            CREATE TABLE contact (
                \(meta),
                account_id INTEGER NOT NULL REFERENCES account(id),
                name TEXT NOT NULL CHECK (name <> ''),
                name_key TEXT NOT NULL,
                role TEXT,
                phone TEXT,
                mobile TEXT,
                email TEXT,
                notes TEXT,
                \(flag("is_primary")),
                custom TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(custom))
            );
            CREATE INDEX contact_account ON contact(account_id, name_key);
            CREATE UNIQUE INDEX contact_one_primary ON contact(account_id) WHERE is_primary = 1;

            CREATE TABLE custom_column (
                \(meta),
                entity TEXT NOT NULL,
                key TEXT NOT NULL CHECK (key <> ''),
                label TEXT NOT NULL CHECK (label <> ''),
                type TEXT NOT NULL CHECK (type IN ('text', 'number', 'money', 'date', 'bool', 'choice')),
                choices TEXT CHECK (choices IS NULL OR json_valid(choices)),
                position INTEGER NOT NULL DEFAULT 0,
                \(flag("mandatory")),
                \(flag("is_unique")),
                UNIQUE (entity, key)
            );

            -- One row per core operation (add an account, merge, import…): who, when, what.
            CREATE TABLE operation (
                id INTEGER PRIMARY KEY,
                uuid BLOB NOT NULL UNIQUE CHECK (length(uuid) = 16),
                at INTEGER NOT NULL,
                user_id INTEGER REFERENCES user(id),
                name TEXT NOT NULL,
                undone_by INTEGER REFERENCES operation(id)
            );
            CREATE INDEX operation_user_at ON operation(user_id, at);

            -- Every change to an entity row: insert (no values: the row is the new value),
            -- update (one entry per field, old and new value), delete (old_value: the row as JSON).
            CREATE TABLE change_log (
                id INTEGER PRIMARY KEY,
                operation_id INTEGER NOT NULL REFERENCES operation(id),
                at INTEGER NOT NULL,
                user_id INTEGER REFERENCES user(id),
                entity TEXT NOT NULL,
                row_uuid BLOB NOT NULL,
                row_id INTEGER NOT NULL,
                op TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
                field TEXT,
                old_value,
                new_value
            );
            CREATE INDEX change_log_row ON change_log(row_uuid);
            CREATE INDEX change_log_operation ON change_log(operation_id);
            """)
    }

    /// Per-user settings of the terminal interface (theme, key map, language, a
    /// table's columns) and named filters.
    static func v2(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE user_setting (
                \(meta),
                user_id INTEGER NOT NULL REFERENCES user(id),
                name TEXT NOT NULL CHECK (name <> ''),
                value TEXT NOT NULL,
                UNIQUE (user_id, name)
            );

            -- Retired custom columns leave forms, tables, filters and exports; their values stay.
            ALTER TABLE custom_column ADD COLUMN retired INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1));

            -- Administrators' rules for standard fields (ACC-8): mandatory, unique.
            CREATE TABLE field_rule (
                \(meta),
                entity TEXT NOT NULL,
                field TEXT NOT NULL,
                \(flag("mandatory")),
                \(flag("is_unique")),
                UNIQUE (entity, field)
            );

            -- The accounts' search index (ACC-4) and how far it goes (SearchIndex).
            \(SearchIndex.schema)
            INSERT INTO store_state (name, value)
                VALUES ('\(SearchIndex.stateName)', CASE WHEN EXISTS (SELECT 1 FROM account) THEN 0 ELSE \(SearchIndex.complete) END);

            -- Pairs of accounts a user said are not duplicates (ACC-6), by UUID, the smaller first.
            CREATE TABLE duplicate_dismissal (
                \(meta),
                account_a TEXT NOT NULL,
                account_b TEXT NOT NULL CHECK (account_a < account_b),
                UNIQUE (account_a, account_b)
            );

            -- Named filters (ACC-5): a user's own, or shared with everyone by an administrator.
            CREATE TABLE saved_filter (
                \(meta),
                user_id INTEGER NOT NULL REFERENCES user(id),
                table_name TEXT NOT NULL,
                name TEXT NOT NULL CHECK (name <> ''),
                definition TEXT NOT NULL CHECK (json_valid(definition)),
                \(flag("shared")),
                UNIQUE (user_id, table_name, name)
            );
            """)
    }

    /// Sign-in failures: what slows down a guesser, and what an administrator reads.
    static func v3(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE sign_in_failure (
                id INTEGER PRIMARY KEY,
                at INTEGER NOT NULL,
                login TEXT NOT NULL,
                source TEXT
            );
            CREATE INDEX sign_in_failure_login_at ON sign_in_failure(login, at);

            -- Addresses a session may come from (ADM-2): the company's list, and per user
            -- the entries allowed (a user with none is not restricted).
            CREATE TABLE ip_rule (
                \(meta),
                name TEXT NOT NULL UNIQUE CHECK (name <> ''),
                address TEXT NOT NULL
            );
            CREATE TABLE user_ip_rule (
                \(meta),
                user_id INTEGER NOT NULL REFERENCES user(id),
                ip_rule_id INTEGER NOT NULL REFERENCES ip_rule(id),
                UNIQUE (user_id, ip_rule_id)
            );

            -- Rights per user, module and action (ADM-2); a user with none has the defaults.
            CREATE TABLE user_right (
                \(meta),
                user_id INTEGER NOT NULL REFERENCES user(id),
                module TEXT NOT NULL,
                action TEXT NOT NULL,
                UNIQUE (user_id, module, action)
            );

            -- Subscriptions (Abonamente): the modules a user may open; none listed: all.
            CREATE TABLE user_module (
                \(meta),
                user_id INTEGER NOT NULL REFERENCES user(id),
                module TEXT NOT NULL,
                UNIQUE (user_id, module)
            );

            -- Settings of the whole base (local sessions of IP-restricted users…).
            CREATE TABLE app_setting (
                \(meta),
                name TEXT NOT NULL UNIQUE CHECK (name <> ''),
                value TEXT NOT NULL
            );
            """)
    }

    /// Zones limit what users see (ADM-2): a user's counts — the whole
    /// base and per folder — read this index alone, zone by zone.
    static func v4(_ db: Database) throws {
        try db.execute(sql: "CREATE INDEX account_zone_folder ON account(zone_id, folder_id)")
    }

    /// Opportunities and activities (OPP-1…5, ACT-1, ACT-2), their stages, notes
    /// and the files attached to notes.
    static func v5(_ db: Database) throws {
        try db.execute(sql: """
            -- The stages of opportunities or of activities, in order; won and lost end one.
            CREATE TABLE stage (
                \(meta),
                kind TEXT NOT NULL CHECK (kind IN ('opportunity', 'activity')),
                name TEXT NOT NULL CHECK (name <> ''),
                position INTEGER NOT NULL,
                is_won INTEGER NOT NULL DEFAULT 0 CHECK (is_won IN (0, 1)),
                is_lost INTEGER NOT NULL DEFAULT 0 CHECK (is_lost IN (0, 1)),
                retired INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1)),
                UNIQUE (kind, name)
            );

            -- An opportunity (a sale in the making) or an activity (post-sale support) on an account.
            CREATE TABLE work_item (
                \(meta),
                kind TEXT NOT NULL CHECK (kind IN ('opportunity', 'activity')),
                account_id INTEGER NOT NULL REFERENCES account(id),
                stage_id INTEGER NOT NULL REFERENCES stage(id),
                owner_id INTEGER REFERENCES user(id),
                type TEXT,
                amount INTEGER,
                currency TEXT CHECK (currency IS NULL OR length(currency) = 3),
                due_date TEXT,
                close_date TEXT,
                details TEXT,
                reminder_at INTEGER,
                reminder_done INTEGER NOT NULL DEFAULT 0 CHECK (reminder_done IN (0, 1)),
                custom TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(custom))
            );
            CREATE INDEX work_item_account ON work_item(account_id, id);
            CREATE INDEX work_item_kind_stage ON work_item(kind, stage_id);
            -- Reminders still to show, per user and time.
            CREATE INDEX work_item_reminder ON work_item(owner_id, reminder_at) WHERE reminder_done = 0 AND reminder_at IS NOT NULL;
            -- Planning: what falls due per user and day.
            CREATE INDEX work_item_planning ON work_item(owner_id, close_date);

            -- The types a note may have (Telefon, E-mail, Întâlnire…), extendable.
            CREATE TABLE note_type (
                \(meta),
                name TEXT NOT NULL UNIQUE CHECK (name <> ''),
                position INTEGER NOT NULL
            );

            -- A note on an account, or on one of its opportunities or activities.
            CREATE TABLE note (
                \(meta),
                account_id INTEGER NOT NULL REFERENCES account(id),
                item_id INTEGER REFERENCES work_item(id),
                type TEXT,
                text TEXT NOT NULL
            );
            CREATE INDEX note_account ON note(account_id, id);
            CREATE INDEX note_item ON note(item_id) WHERE item_id IS NOT NULL;

            -- File contents, stored once per content (SHA-256).
            CREATE TABLE file_blob (
                \(meta),
                hash TEXT NOT NULL UNIQUE CHECK (length(hash) = 64),
                size INTEGER NOT NULL,
                data BLOB NOT NULL
            );

            -- A file attached to a note: its name and its content.
            CREATE TABLE note_file (
                \(meta),
                note_id INTEGER NOT NULL REFERENCES note(id),
                blob_id INTEGER NOT NULL REFERENCES file_blob(id),
                name TEXT NOT NULL CHECK (name <> ''),
                mime TEXT
            );
            CREATE INDEX note_file_note ON note_file(note_id);
            CREATE INDEX note_file_blob ON note_file(blob_id);
            """)
    }

    /// The Oportunități and Activități tables sort by these columns through an
    /// index each, an empty value first (as WorkItemOrder orders them); items
    /// carry their account's zone.
    static func v6(_ db: Database) throws {
        try db.execute(sql: """
            CREATE INDEX work_item_order_amount ON work_item(kind, ifnull(amount, -1), id);
            CREATE INDEX work_item_order_due ON work_item(kind, ifnull(due_date, ''), id);
            CREATE INDEX work_item_order_close ON work_item(kind, ifnull(close_date, ''), id);
            CREATE INDEX work_item_order_reminder ON work_item(kind, ifnull(reminder_at, 0), id);

            -- The account's zone, copied onto its items and kept so by the database
            -- itself (derived, never written by the program): a user limited to
            -- zones counts and lists items without reading every account.
            ALTER TABLE work_item ADD COLUMN zone_id INTEGER;
            UPDATE work_item SET zone_id = (SELECT a.zone_id FROM account a WHERE a.id = work_item.account_id);
            CREATE INDEX work_item_zone_stage ON work_item(kind, zone_id, stage_id);
            CREATE TRIGGER work_item_zone_insert AFTER INSERT ON work_item BEGIN
                UPDATE work_item SET zone_id = (SELECT a.zone_id FROM account a WHERE a.id = NEW.account_id) WHERE id = NEW.id;
            END;
            CREATE TRIGGER work_item_zone_move AFTER UPDATE OF account_id ON work_item BEGIN
                UPDATE work_item SET zone_id = (SELECT a.zone_id FROM account a WHERE a.id = NEW.account_id) WHERE id = NEW.id;
            END;
            CREATE TRIGGER account_zone_items AFTER UPDATE OF zone_id ON account BEGIN
                UPDATE work_item SET zone_id = NEW.zone_id WHERE account_id = NEW.id;
            END;
            """)
    }

    /// The catalogue (nomenclator): VAT rates an administrator keeps, and the
    /// products and services offers and invoices are made of.
    static func v7(_ db: Database) throws {
        try db.execute(sql: """
            -- A VAT rate (cota TVA): its percent in hundredths (2100 = 21 %), or exempt.
            CREATE TABLE vat_rate (
                \(meta),
                name TEXT NOT NULL UNIQUE CHECK (name <> ''),
                percent INTEGER NOT NULL CHECK (percent BETWEEN 0 AND 10000),
                \(flag("exempt")),
                position INTEGER NOT NULL,
                \(flag("retired"))
            );

            -- A product or service: price in hundredths of its currency, without VAT.
            CREATE TABLE product (
                \(meta),
                code TEXT NOT NULL CHECK (code <> ''),
                name TEXT NOT NULL CHECK (name <> ''),
                name_key TEXT NOT NULL,
                description TEXT,
                unit TEXT NOT NULL CHECK (unit <> ''),
                price INTEGER NOT NULL CHECK (price >= 0),
                currency TEXT NOT NULL CHECK (length(currency) = 3),
                vat_rate_id INTEGER NOT NULL REFERENCES vat_rate(id),
                category TEXT
            );
            CREATE UNIQUE INDEX product_code ON product(lower(code));
            CREATE INDEX product_name ON product(name_key, id);
            CREATE INDEX product_category ON product(category, name_key, id);
            CREATE INDEX product_order_price ON product(price, id);
            """)
    }

    /// Offer templates (OFF-1): four sections of lightly formatted text with
    /// placeholders, and a logo (a stored file, by its content hash).
    static func v8(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE offer_template (
                \(meta),
                name TEXT NOT NULL UNIQUE CHECK (name <> ''),
                header TEXT NOT NULL DEFAULT '',
                text1 TEXT NOT NULL DEFAULT '',
                text2 TEXT NOT NULL DEFAULT '',
                footer TEXT NOT NULL DEFAULT '',
                logo TEXT CHECK (logo IS NULL OR length(logo) = 64),
                \(flag("retired"))
            );
            """)
    }

    /// Offers (OFF-2): on an opportunity, numbered in a series, made of lines
    /// copied from the catalogue (or written on the spot), with their totals.
    static func v9(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE offer (
                \(meta),
                item_id INTEGER NOT NULL REFERENCES work_item(id),
                template_id INTEGER REFERENCES offer_template(id),
                series TEXT NOT NULL CHECK (series <> ''),
                number INTEGER NOT NULL CHECK (number > 0),
                day TEXT NOT NULL,
                valid_until TEXT,
                currency TEXT NOT NULL CHECK (length(currency) = 3),
                net INTEGER NOT NULL,
                vat INTEGER NOT NULL,
                total INTEGER NOT NULL,
                UNIQUE (series, number)
            );
            CREATE INDEX offer_item ON offer(item_id, id);

            -- A line: what was offered, as it was then (the catalogue may change later).
            CREATE TABLE offer_line (
                \(meta),
                offer_id INTEGER NOT NULL REFERENCES offer(id),
                position INTEGER NOT NULL,
                product_id INTEGER REFERENCES product(id) ON DELETE SET NULL,
                code TEXT,
                name TEXT NOT NULL CHECK (name <> ''),
                unit TEXT NOT NULL,
                quantity INTEGER NOT NULL CHECK (quantity > 0),
                unit_price INTEGER NOT NULL CHECK (unit_price >= 0),
                discount INTEGER NOT NULL DEFAULT 0 CHECK (discount BETWEEN 0 AND 10000),
                vat_name TEXT NOT NULL,
                vat_percent INTEGER NOT NULL,
                \(flag("vat_exempt")),
                net INTEGER NOT NULL
            );
            CREATE INDEX offer_line_offer ON offer_line(offer_id, position);
            """)
    }

    /// Invoicing and the books (FIN-1…FIN-4): numbering series, proforma,
    /// fiscal and storno invoices with their lines (the client and the supplier
    /// as they were on the day), supplier invoices, payments, and a double-entry
    /// ledger whose accounts keep their balance.
    static func v10(_ db: Database) throws {
        try db.execute(sql: """
            -- A numbering series: proforma or fiscal, numbered on and on or from 1 each year.
            CREATE TABLE doc_series (
                \(meta),
                kind TEXT NOT NULL CHECK (kind IN ('proforma', 'fiscal')),
                prefix TEXT NOT NULL CHECK (prefix <> ''),
                \(flag("yearly")),
                \(flag("retired")),
                UNIQUE (kind, prefix)
            );

            -- A ledger account: clients' (debtors) and suppliers' (creditors) one per
            -- CRM account, revenue, expense, cash and bank, VAT. balance = debits − credits (bani, RON).
            CREATE TABLE ledger_account (
                \(meta),
                kind TEXT NOT NULL CHECK (kind IN ('client', 'supplier', 'revenue', 'expense', 'cash', 'vat')),
                code TEXT NOT NULL UNIQUE CHECK (code <> ''),
                name TEXT NOT NULL CHECK (name <> ''),
                account_id INTEGER REFERENCES account(id),
                balance INTEGER NOT NULL DEFAULT 0,
                \(flag("retired"))
            );
            CREATE INDEX ledger_account_account ON ledger_account(account_id, kind);

            CREATE TABLE invoice (
                \(meta),
                kind TEXT NOT NULL CHECK (kind IN ('proforma', 'fiscal')),
                series TEXT NOT NULL CHECK (series <> ''),
                year INTEGER NOT NULL DEFAULT 0,
                number INTEGER NOT NULL CHECK (number > 0),
                day TEXT NOT NULL,
                due_day TEXT NOT NULL,
                account_id INTEGER NOT NULL REFERENCES account(id),
                item_id INTEGER REFERENCES work_item(id) ON DELETE SET NULL,
                offer_id INTEGER REFERENCES offer(id) ON DELETE SET NULL,
                storno_of INTEGER REFERENCES invoice(id),
                currency TEXT NOT NULL CHECK (length(currency) = 3),
                -- RON for one unit of the currency, in ten-thousandths (1 for RON: 10000).
                rate INTEGER NOT NULL DEFAULT 10000 CHECK (rate > 0),
                net INTEGER NOT NULL,
                vat INTEGER NOT NULL,
                total INTEGER NOT NULL,
                net_ron INTEGER NOT NULL,
                vat_ron INTEGER NOT NULL,
                total_ron INTEGER NOT NULL,
                client TEXT NOT NULL,
                supplier TEXT NOT NULL,
                delegate TEXT, delegate_id TEXT, vehicle TEXT, delivery_day TEXT,
                notes TEXT,
                revenue_account_id INTEGER REFERENCES ledger_account(id),
                posted_entry_id INTEGER,
                UNIQUE (kind, series, year, number)
            );
            CREATE INDEX invoice_account ON invoice(account_id, day);
            CREATE INDEX invoice_item ON invoice(item_id);
            CREATE INDEX invoice_day ON invoice(day, id);
            CREATE UNIQUE INDEX invoice_storno ON invoice(storno_of) WHERE storno_of IS NOT NULL;

            CREATE TABLE invoice_line (
                \(meta),
                invoice_id INTEGER NOT NULL REFERENCES invoice(id),
                position INTEGER NOT NULL,
                product_id INTEGER REFERENCES product(id) ON DELETE SET NULL,
                code TEXT,
                name TEXT NOT NULL CHECK (name <> ''),
                unit TEXT NOT NULL,
                quantity INTEGER NOT NULL CHECK (quantity <> 0),
                unit_price INTEGER NOT NULL CHECK (unit_price >= 0),
                discount INTEGER NOT NULL DEFAULT 0 CHECK (discount BETWEEN 0 AND 10000),
                vat_name TEXT NOT NULL,
                vat_percent INTEGER NOT NULL,
                \(flag("vat_exempt")),
                net INTEGER NOT NULL,
                vat INTEGER NOT NULL
            );
            CREATE INDEX invoice_line_invoice ON invoice_line(invoice_id, position);

            -- A supplier's invoice (Factură cheltuială), posted to an expense account.
            CREATE TABLE expense (
                \(meta),
                account_id INTEGER NOT NULL REFERENCES account(id),
                number TEXT NOT NULL CHECK (number <> ''),
                day TEXT NOT NULL,
                due_day TEXT NOT NULL,
                description TEXT,
                net INTEGER NOT NULL CHECK (net >= 0),
                vat INTEGER NOT NULL CHECK (vat >= 0),
                total INTEGER NOT NULL,
                expense_account_id INTEGER NOT NULL REFERENCES ledger_account(id),
                posted_entry_id INTEGER,
                UNIQUE (account_id, number)
            );
            CREATE INDEX expense_day ON expense(day, id);

            -- Money in against an invoice (încasare) or out against a supplier's (plată).
            CREATE TABLE payment (
                \(meta),
                direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
                invoice_id INTEGER REFERENCES invoice(id),
                expense_id INTEGER REFERENCES expense(id),
                account_id INTEGER NOT NULL REFERENCES account(id),
                amount INTEGER NOT NULL CHECK (amount > 0),
                amount_ron INTEGER NOT NULL CHECK (amount_ron > 0),
                doc_type TEXT NOT NULL,
                doc_number TEXT,
                day TEXT NOT NULL,
                details TEXT,
                cash_account_id INTEGER NOT NULL REFERENCES ledger_account(id),
                entry_id INTEGER,
                CHECK ((invoice_id IS NULL) <> (expense_id IS NULL))
            );
            CREATE INDEX payment_invoice ON payment(invoice_id);
            CREATE INDEX payment_expense ON payment(expense_id);

            -- The journal: each entry's lines balance (debits = credits).
            CREATE TABLE ledger_entry (
                \(meta),
                day TEXT NOT NULL,
                kind TEXT NOT NULL,
                document TEXT NOT NULL,
                description TEXT
            );
            CREATE INDEX ledger_entry_day ON ledger_entry(day, id);

            CREATE TABLE ledger_line (
                \(meta),
                entry_id INTEGER NOT NULL REFERENCES ledger_entry(id),
                ledger_account_id INTEGER NOT NULL REFERENCES ledger_account(id),
                debit INTEGER NOT NULL DEFAULT 0 CHECK (debit >= 0),
                credit INTEGER NOT NULL DEFAULT 0 CHECK (credit >= 0),
                CHECK (debit = 0 OR credit = 0)
            );
            CREATE INDEX ledger_line_account ON ledger_line(ledger_account_id, entry_id);
            CREATE INDEX ledger_line_entry ON ledger_line(entry_id);
            """)
    }

    /// E-mail templates (OFF-3): a subject and a body with placeholders, in the
    /// offer templates' light formatting (or HTML).
    static func v11(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE email_template (
                \(meta),
                name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (name <> ''),
                subject TEXT NOT NULL,
                body TEXT NOT NULL,
                \(flag("retired"))
            );
            """)
    }

    /// E-mails sent from an account or one of its opportunities (OFF-4): stored
    /// before they are sent, their outcome after (sending, sent, failed with the
    /// reason); opens and clicks counted by `crm serve`. Their files are stored
    /// once, as notes' files are, so that a retry sends the same message.
    static func v12(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE email (
                \(meta),
                account_id INTEGER NOT NULL REFERENCES account(id),
                item_id INTEGER REFERENCES work_item(id),
                offer_id INTEGER REFERENCES offer(id),
                sender TEXT NOT NULL CHECK (sender <> ''),
                recipients TEXT NOT NULL CHECK (recipients <> ''),
                cc TEXT,
                subject TEXT NOT NULL,
                text TEXT NOT NULL,
                html TEXT,
                status TEXT NOT NULL DEFAULT 'sending' CHECK (status IN ('sending', 'sent', 'failed')),
                error TEXT,
                attempts INTEGER NOT NULL DEFAULT 0,
                sent_at INTEGER,
                message_id TEXT,
                opens INTEGER NOT NULL DEFAULT 0,
                opened_at INTEGER,
                clicks INTEGER NOT NULL DEFAULT 0,
                clicked_at INTEGER
            );
            CREATE INDEX email_account ON email(account_id, id);
            CREATE INDEX email_item ON email(item_id) WHERE item_id IS NOT NULL;
            CREATE INDEX email_offer ON email(offer_id) WHERE offer_id IS NOT NULL;
            CREATE INDEX email_unsent ON email(status) WHERE status <> 'sent';

            CREATE TABLE email_file (
                \(meta),
                email_id INTEGER NOT NULL REFERENCES email(id),
                blob_id INTEGER NOT NULL REFERENCES file_blob(id),
                name TEXT NOT NULL CHECK (name <> ''),
                mime TEXT
            );
            CREATE INDEX email_file_email ON email_file(email_id);
            CREATE INDEX email_file_blob ON email_file(blob_id);
            """)
    }

    /// E-mail lists and campaigns (CMP-1, CMP-2, CMP-4): a list's members (an
    /// address once per list), the suppression list no campaign mails, and each
    /// campaign's recipients with their persisted state, so that a sender
    /// stopped at any moment neither sends twice nor skips silently.
    static func v13(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE mail_list (
                \(meta),
                name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (name <> '')
            );

            CREATE TABLE mail_list_member (
                \(meta),
                list_id INTEGER NOT NULL REFERENCES mail_list(id),
                email TEXT NOT NULL CHECK (email <> ''),
                email_key TEXT NOT NULL,
                name TEXT,
                account_id INTEGER REFERENCES account(id),
                UNIQUE (list_id, email_key)
            );
            CREATE INDEX mail_list_member_account ON mail_list_member(account_id) WHERE account_id IS NOT NULL;

            CREATE TABLE suppression (
                \(meta),
                email TEXT NOT NULL,
                email_key TEXT NOT NULL UNIQUE,
                reason TEXT NOT NULL CHECK (reason IN ('unsubscribed', 'bounced', 'manual')),
                detail TEXT
            );

            CREATE TABLE campaign (
                \(meta),
                name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (name <> ''),
                list_id INTEGER NOT NULL REFERENCES mail_list(id),
                sender TEXT NOT NULL,
                subject TEXT NOT NULL CHECK (subject <> ''),
                text TEXT NOT NULL,
                html TEXT,
                status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'running', 'paused', 'cancelled', 'finished')),
                interval_ms INTEGER NOT NULL DEFAULT 5000 CHECK (interval_ms >= 0),
                started_at INTEGER,
                finished_at INTEGER
            );

            CREATE TABLE campaign_recipient (
                \(meta),
                campaign_id INTEGER NOT NULL REFERENCES campaign(id),
                email TEXT NOT NULL,
                email_key TEXT NOT NULL,
                name TEXT,
                account_id INTEGER REFERENCES account(id),
                state TEXT NOT NULL DEFAULT 'queued'
                    CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'bounced', 'skipped')),
                attempts INTEGER NOT NULL DEFAULT 0,
                next_at INTEGER NOT NULL DEFAULT 0,
                reply TEXT,
                sent_at INTEGER,
                message_id TEXT,
                opens INTEGER NOT NULL DEFAULT 0,
                opened_at INTEGER,
                clicks INTEGER NOT NULL DEFAULT 0,
                clicked_at INTEGER,
                UNIQUE (campaign_id, email_key)
            );
            CREATE INDEX campaign_recipient_next ON campaign_recipient(campaign_id, state, next_at, id);

            -- A campaign template made of blocks (CMP-3): their kinds and settings as JSON.
            CREATE TABLE block_template (
                \(meta),
                name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (name <> ''),
                blocks TEXT NOT NULL DEFAULT '[]'
            );
            CREATE INDEX campaign_recipient_account ON campaign_recipient(account_id) WHERE account_id IS NOT NULL;
            """)
    }
    /// Clicks per link of a campaign (CMP-5): each recipient's clicks on each
    /// address, for the report's per-link counts and lists.
    static func v14(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE campaign_click (
                \(meta),
                campaign_id INTEGER NOT NULL REFERENCES campaign(id),
                recipient_id INTEGER NOT NULL REFERENCES campaign_recipient(id),
                url TEXT NOT NULL,
                clicks INTEGER NOT NULL DEFAULT 0,
                clicked_at INTEGER,
                UNIQUE (recipient_id, url)
            );
            CREATE INDEX campaign_click_campaign ON campaign_click(campaign_id, url);
            """)
    }
    /// An account's own coordinates (the visit map, DSH-10), before any gazetteer;
    /// the dashboard's indexes: rows added per entity, user and time (the change
    /// log's inserts, DSH-4), and items falling due per owner and day (DSH-2).
    static func v15(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE account ADD COLUMN coordinates TEXT;
            CREATE INDEX change_log_added ON change_log(entity, user_id, at) WHERE op = 'insert';
            CREATE INDEX work_item_due_owner ON work_item(owner_id, ifnull(due_date, ''));
            CREATE INDEX work_item_stage_due ON work_item(kind, stage_id, ifnull(due_date, ''));
            DROP INDEX work_item_planning;
            -- Every item's sums in one index: a range of due days read without the table (planning, funnel, portfolios).
            CREATE INDEX work_item_due_sums ON work_item(kind, ifnull(due_date, ''), owner_id, stage_id, zone_id, currency, amount);
            -- Rows added per entity, user (0: the system) and hour, kept by the write path with the change log.
            CREATE TABLE added_count (
                entity TEXT NOT NULL,
                user_id INTEGER NOT NULL,
                hour INTEGER NOT NULL,
                n INTEGER NOT NULL,
                PRIMARY KEY (entity, user_id, hour)
            ) WITHOUT ROWID;
            INSERT INTO added_count (entity, user_id, hour, n)
                SELECT entity, ifnull(user_id, 0), at / 3600000, count(*) FROM change_log WHERE op = 'insert' GROUP BY 1, 2, 3;
            """)
    }
    /// Web forms (ADM-3) and their accepted submissions (a new account, or one
    /// reached by the same e-mail or CUI), with whom each is told to; accounts
    /// and contacts found by e-mail, letter case aside.
    static func v16(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE web_form (
                \(meta),
                name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (name <> ''),
                token TEXT NOT NULL UNIQUE CHECK (length(token) >= 22),
                success_message TEXT NOT NULL,
                error_message TEXT NOT NULL,
                success_url TEXT,
                error_url TEXT,
                site TEXT,
                duplicates TEXT NOT NULL DEFAULT 'attach' CHECK (duplicates IN ('attach', 'reject')),
                notify_id INTEGER REFERENCES user(id),
                fields TEXT NOT NULL DEFAULT '[]',
                preset TEXT NOT NULL DEFAULT '[]',
                \(flag("enabled", 1))
            );
            CREATE TABLE web_submission (
                \(meta),
                form_id INTEGER NOT NULL REFERENCES web_form(id),
                account_id INTEGER REFERENCES account(id),
                outcome TEXT NOT NULL CHECK (outcome IN ('created', 'attached')),
                notify_id INTEGER REFERENCES user(id),
                \(flag("seen")),
                summary TEXT NOT NULL
            );
            CREATE INDEX web_submission_form ON web_submission(form_id, id);
            CREATE INDEX web_submission_unseen ON web_submission(notify_id, id) WHERE seen = 0;
            CREATE INDEX web_submission_account ON web_submission(account_id) WHERE account_id IS NOT NULL;
            CREATE INDEX account_email ON account(lower(email));
            CREATE INDEX contact_email ON contact(lower(email));
            """)
    }

    /// Sync through a PostgreSQL hub (docs/sync.md): every change's hybrid
    /// logical clock and the replica that made it (null: this one), the values
    /// that lost to a later write, changes waiting for a row they refer to, and
    /// the rows that turned out to be another replica's row under a unique rule.
    static func v17(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE change_log ADD COLUMN hlc INTEGER;
            ALTER TABLE change_log ADD COLUMN origin BLOB;
            CREATE TABLE sync_conflict (
                id INTEGER PRIMARY KEY,
                at INTEGER NOT NULL,
                entity TEXT NOT NULL,
                row_uuid BLOB NOT NULL,
                field TEXT NOT NULL,
                value,
                hlc INTEGER NOT NULL,
                origin BLOB,
                winner_hlc INTEGER,
                reason TEXT NOT NULL,
                resolved_at INTEGER,
                resolved_by INTEGER REFERENCES user(id)
            );
            CREATE INDEX sync_conflict_open ON sync_conflict(id) WHERE resolved_at IS NULL;
            CREATE TABLE sync_pending (
                id INTEGER PRIMARY KEY,
                row_uuid BLOB NOT NULL,
                waits_for BLOB NOT NULL,
                change TEXT NOT NULL
            );
            CREATE INDEX sync_pending_waits ON sync_pending(waits_for);
            CREATE TABLE sync_alias (
                entity TEXT NOT NULL,
                uuid BLOB NOT NULL,
                target BLOB NOT NULL,
                PRIMARY KEY (entity, uuid)
            ) WITHOUT ROWID;
            """)
    }

    /// Sync: other replicas' changes this one sends again, under the zone their
    /// row is in since this replica moved it there (docs/sync.md, "Moves
    /// between zones"), and the accounts this replica moved, found at once.
    static func v18(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE sync_forward (
                id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: the hub keys them by it
                change TEXT NOT NULL
            );
            CREATE INDEX change_log_local_moves ON change_log(row_uuid)
                WHERE entity = 'account' AND op = 'update' AND field = 'zone_id' AND origin IS NULL;
            """)
    }
}
