import CRMCore
import Foundation

/// The demo's word lists, read from `sample-data/`.
public struct WordLists: Sendable {
    public struct County: Sendable {
        public let name: String
        public let registerCode: String
        public let landlinePrefix: String
        public let region: String
        public let localities: [String]
    }

    public struct DemoUser: Sendable {
        public let login: String
        public let name: String
        public let zones: [String]
        public let email: String
    }

    public let counties: [County]
    public let femaleNames: [String]
    public let maleNames: [String]
    public let lastNames: [String]
    public let roots: [String]
    public let activities: [String]
    public let legalForms: [(form: String, weight: Int, isPerson: Bool)]
    public let streets: [String]
    public let banks: [(code: String, name: String)]
    public let roles: [String]
    public let users: [DemoUser]
    public let folders: [(path: String, weight: Int)]
    public let tags: [String]

    /// Where the lists are: `$CRM_SAMPLE_DATA`, else a `sample-data` folder beside
    /// the source tree the executable was built in, else the system share folder.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        ResourceDirectory.locate("sample-data", containing: "counties.tsv", variable: "CRM_SAMPLE_DATA",
                                 environment: environment)
    }

    public static func load(from dir: URL) throws -> WordLists {
        func lines(_ name: String) throws -> [String] {
            let url = dir.appendingPathComponent(name)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                throw DemoError.missingList(url.path)
            }
            return text.split(separator: "\n").map { String($0).trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        }
        func columns(_ name: String) throws -> [[String]] {
            try lines(name).map { $0.components(separatedBy: "\t") }
        }
        let counties = try columns("counties.tsv").map { c -> County in
            guard c.count >= 5 else { throw DemoError.malformed("counties.tsv", c.joined(separator: " ")) }
            return County(name: c[0], registerCode: c[1], landlinePrefix: c[2], region: c[3],
                          localities: c[4].components(separatedBy: ","))
        }
        return WordLists(
            counties: counties,
            femaleNames: try lines("first-names-female.txt"),
            maleNames: try lines("first-names-male.txt"),
            lastNames: try lines("last-names.txt"),
            roots: try lines("company-roots.txt"),
            activities: try lines("company-activities.txt"),
            legalForms: try columns("legal-forms.tsv").map { ($0[0], Int($0[1]) ?? 1, $0.count > 2 && $0[2] == "p") },
            streets: try lines("streets.txt"),
            banks: try columns("banks.tsv").map { ($0[0], $0.count > 1 ? $0[1] : $0[0]) },
            roles: try lines("roles.txt"),
            users: try columns("users.tsv").map {
                DemoUser(login: $0[0], name: $0[1],
                         zones: ($0.count > 2 ? $0[2] : "").components(separatedBy: ",").filter { !$0.isEmpty },
                         email: $0.count > 3 ? $0[3] : "")
            },
            folders: try columns("folders.txt").map { ($0[0], $0.count > 1 ? Int($0[1]) ?? 1 : 1) },
            tags: try lines("tags.txt"))
    }
}

public enum DemoError: Error, Equatable {
    case missingList(String)
    case malformed(String, String)
    case notEmpty(accounts: Int)
}
