import ArgumentParser
import CRMCore
import CRMDocuments

struct FolderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "folder",
        abstract: "The folder tree (Dosare): a root \"Conturi\" and up to 4 levels below it.",
        subcommands: [List.self, Add.self, Rename.self, Move.self, Remove.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the tree with account counts.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let s = try Session.open(database)
            let nodes = try s.crm.folderTree(for: s.actor)
            if output.json {
                s.printJSON(.array(nodes.map { n in
                    .object([("uuid", .string(n.record.meta!.uuid.description)), ("name", .string(n.record.name)),
                             ("path", .string(n.path)), ("depth", .int(Int64(n.depth))),
                             ("accounts", .int(Int64(n.accountCount))), ("totalAccounts", .int(Int64(n.totalCount)))])
                }))
                return
            }
            let table = TextTable(
                headers: [s.t("Dosar", "Folder"), s.t("Conturi", "Accounts"), s.t("Cu subdosare", "With sub-folders")],
                rows: nodes.map { [String(repeating: "  ", count: $0.depth) + $0.record.name, String($0.accountCount), String($0.totalCount)] },
                maxColumnWidth: 60, rightAligned: [1, 2])
            s.print(table.render())
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a folder: the path's last part is the new folder, the rest its parent.",
            discussion: "Example: crm folder add \"Clienți/Cluj\" adds Cluj under Conturi/Clienți.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Path of the new folder.") var path: String

        func run() throws {
            let s = try Session.open(database)
            var parts = path.split(separator: "/").map(String.init)
            guard let name = parts.popLast() else {
                throw CLIError(message: Localized(ro: "dați calea noului dosar", en: "give the new folder's path"))
            }
            let node = try s.crm.addFolder(name: name, parent: parts.joined(separator: "/"), by: s.actor)
            s.print(s.t("Dosar adăugat: ", "Folder added: ") + node.path)
        }
    }

    struct Rename: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Rename a folder.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The folder.") var path: String
        @Argument(help: "Its new name.") var name: String

        func run() throws {
            let s = try Session.open(database)
            try s.crm.renameFolder(path: path, to: name, by: s.actor)
            s.print(s.t("Dosar redenumit.", "Folder renamed."))
        }
    }

    struct Move: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Move a folder (with its sub-folders) under another folder.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The folder.") var path: String
        @Argument(help: "Its new parent.") var parent: String

        func run() throws {
            let s = try Session.open(database)
            try s.crm.moveFolder(path: path, to: parent, by: s.actor)
            s.print(s.t("Dosar mutat.", "Folder moved."))
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rm", abstract: "Delete a folder and its sub-folders; their accounts go to --move-to.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The folder.") var path: String
        @Option(name: .customLong("move-to"), help: "Folder that receives the accounts (needed when there are any).")
        var moveTo: String?

        func run() throws {
            let s = try Session.open(database)
            let moved = try s.crm.deleteFolder(path: path, moveAccountsTo: moveTo, by: s.actor)
            s.print(s.t("Dosar șters", "Folder deleted") + (moved > 0 ? s.t("; \(moved) conturi mutate.", "; \(moved) accounts moved.") : "."))
        }
    }
}
