import Testing
@testable import CRMText

@Suite struct FoldTests {
    @Test func foldsCaseAndDiacritics() {
        #expect(Fold.key("Știință  SRL") == "stiinta srl")
        #expect(Fold.key("ŞTIINŢĂ") == "stiinta")          // cedilla forms
        #expect(Fold.key("Țăranu Îndrăzneț") == "taranu indraznet")
        #expect(Fold.key("  Mureș\tCluj ") == "mures cluj")
    }

    @Test func canonicalDiacriticsUseTheComma() {
        #expect(Diacritics.canonical("Ştefan Ţepeş") == "Ștefan Țepeș")
        #expect(Diacritics.canonical("s\u{0326}i t\u{0326}") == "și ț")
        #expect(Diacritics.canonical("a\u{0306}") == "ă")
    }

    @Test func asciiTransliterationKeepsCase() {
        #expect(Fold.ascii("Știință și Țară") == "Stiinta si Tara")
        #expect(Fold.ascii("中") == "?")
        #expect(Fold.ascii("ctrl+f → căutare ★ ␛[2J") == "ctrl+f -> cautare * ^[[2J")
        #expect(Fold.ascii("crm · Clienți · 80×24") == "crm - Clienti - 80x24")
    }
}

@Suite struct SortKeyTests {
    @Test func romanianAlphabetOrder() {
        let names = ["Zeta", "Țăranu", "Tudor", "Ștefan", "Sorin", "Îndrăzneț", "Ion", "Âna", "Ăla", "Ana", "ana b", "Alb"]
        let sorted = names.sorted { SortKey.romanian($0) < SortKey.romanian($1) }
        #expect(sorted == ["Alb", "Ana", "ana b", "Ăla", "Âna", "Ion", "Îndrăzneț", "Sorin", "Ștefan", "Tudor", "Țăranu", "Zeta"])
    }

    @Test func cedillaAndCommaSortTheSame() {
        #expect(SortKey.romanian("Şerban") == SortKey.romanian("Șerban"))
        #expect(SortKey.romanian("ȘERBAN") == SortKey.romanian("șerban"))
    }

    @Test func letterWithDiacriticSortsAfterWholeBaseLetterRun() {
        // ă is its own letter: "ăa" comes after "az".
        #expect(SortKey.romanian("az") < SortKey.romanian("ăa"))
        #expect(SortKey.romanian("ăz") < SortKey.romanian("â"))
    }
}

@Suite struct DisplayWidthTests {
    @Test func widths() {
        #expect(DisplayWidth.of("ăâîșț") == 5)
        #expect(DisplayWidth.of("中文") == 4)
        #expect(DisplayWidth.of("e\u{0301}") == 1)
        #expect(DisplayWidth.of("👍") == 2)
        #expect(DisplayWidth.of("👨‍👩‍👧") == 2)
        #expect(DisplayWidth.of("Ｆ") == 2)
    }

    @Test func padAndTruncateByColumns() {
        #expect(DisplayWidth.pad("中文", to: 6) == "中文  ")
        #expect(DisplayWidth.truncate("Știință aplicată", to: 8) == "Știință…")
        #expect(DisplayWidth.of(DisplayWidth.truncate("中文中文", to: 5)) <= 5)
        #expect(DisplayWidth.pad("12", to: 4, alignRight: true) == "  12")
    }
}

@Suite struct SanitizeTests {
    @Test func escapeSequencesBecomeVisible() {
        #expect(Sanitize.line("\u{1B}[31mRoșu\u{1B}[0m") == "␛[31mRoșu␛[0m")
        #expect(Sanitize.line("a\tb\nc") == "a␉b␤c")
        #expect(!Sanitize.line("x\u{9B}2J").unicodeScalars.contains { $0.value == 0x9B })
        #expect(!Sanitize.line("abc\u{202E}def").unicodeScalars.contains { $0.value == 0x202E })
    }

    @Test func plainTextIsUnchanged() {
        #expect(Sanitize.line("Știință SRL — 中文 👍") == "Știință SRL — 中文 👍")
        #expect(Sanitize.block("rând 1\nrând 2") == "rând 1\nrând 2")
    }
}

@Suite struct TOMLAndFuzzyTests {
    @Test func theSubsetParsesWithLines() throws {
        let doc = try TOMLDocument(parsing: """
            # comment
            top = 1
            [colors]
            "a b" = "x \\"y\\" \\u0219"   # trailing
            'lit' = 'c:\\path'
            flag = true
            list = ["a", 'b', 3]
            [x.y]
            k = -12_000
            """, source: "f.toml")
        #expect(doc.entries.map(\.line) == [2, 4, 5, 6, 7, 9])
        #expect(doc.entries[1] == TOMLEntry(table: "colors", key: "a b", value: .string("x \"y\" ș"), line: 4))
        #expect(doc.entries[2].value == .string("c:\\path"))
        #expect(doc.entries[4].value == .array([.string("a"), .string("b"), .integer(3)]))
        #expect(doc.entries[5].table == "x.y" && doc.entries[5].value == .integer(-12000))
    }

    @Test func mistakesNameTheirLine() {
        for (text, line) in [("a = \"open", 1), ("\n[t\n", 2), ("a = 1\na = 2", 2), ("[t]\n[t]", 2), ("a = b", 1), ("= 1", 1)] {
            #expect(throws: TOMLError.self) { try TOMLDocument(parsing: text, source: "s") }
            do { _ = try TOMLDocument(parsing: text, source: "s") } catch let e as TOMLError {
                #expect(e.line == line, "\(text)")
                #expect(e.description.hasPrefix("s:\(line): "))
            } catch {}
        }
    }

    @Test func fuzzyMatchingIgnoresDiacriticsAndPrefersWordStarts() throws {
        #expect(Fuzzy.score("adcont", "Adăugare cont") != nil)
        #expect(Fuzzy.score("stergere", "Ștergere cont") != nil)
        #expect(Fuzzy.score("xyz", "Adăugare cont") == nil)
        #expect(try #require(Fuzzy.score("sc", "Ștergere cont")) > (try #require(Fuzzy.score("sc", "Istoric"))))
        #expect(Fuzzy.score("", "orice") == 0)
    }
}

@Suite struct SimilarityTests {
    @Test func namesLoseLegalFormsDiacriticsAndPunctuation() {
        #expect(Similarity.normalizedName("S.C. Știința Nouă S.R.L.") == "stiinta noua")
        #expect(Similarity.normalizedName("ALFA SRL-D") == "alfa")
        #expect(Similarity.normalizedName("Pop  Ion  PFA") == "pop ion")
        #expect(Similarity.normalizedName("SRL") == "srl")  // a name that is only a form keeps it
    }

    @Test func jaroWinklerScoresKnownPairs() {
        func jw(_ a: String, _ b: String) -> Double { Similarity.jaroWinkler(Array(a), Array(b)) }
        #expect(abs(jw("martha", "marhta") - 0.961) < 0.001)
        #expect(abs(jw("dwayne", "duane") - 0.84) < 0.001)
        #expect(jw("alfa", "alfa") == 1 && jw("abc", "xyz") == 0 && jw("", "") == 1)
    }
}
