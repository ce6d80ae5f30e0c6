import Foundation

/// The HTML of a web form: the snippet pasted into the company site (a plain
/// form that works without JavaScript, and a short script that, where the
/// browser has `fetch`, sends it without leaving the page and shows the
/// answer beside the fields), the test page `crm serve` shows, and the pages
/// it answers a submission with. Every value is escaped.
public enum WebFormHTML {
    /// Where the service answers forms: `/f/TOKEN`.
    public static let path = WebFormRules.path

    /// The snippet for a form whose submissions go to `action` (its address at the service).
    public static func snippet(_ form: WebFormDetails, action: String) -> String {
        let d = form.definition
        let id = "crm-" + String(form.token.prefix(8)).map { $0.isLetter || $0.isNumber ? String($0) : "x" }.joined()
        let e = TrackedHTML.escape
        var out = "<!-- \(e(d.name)) — formular web crm -->\n"
        out += "<form class=\"crm-form\" id=\"\(id)\" action=\"\(e(action))\" method=\"post\" accept-charset=\"UTF-8\">\n"
        for field in d.fields {
            guard let target = WebFormTarget(field.target) else { continue }
            let inputID = "\(id)-\(field.name)"
            let star = field.required ? " <span class=\"crm-required\" aria-hidden=\"true\">*</span>" : ""
            let required = field.required ? " required" : ""
            let max = maxLength(target)
            out += "  <p class=\"crm-field\">"
            switch field.type {
            case .checkbox:
                out += "<label><input type=\"checkbox\" id=\"\(inputID)\" name=\"\(field.name)\" value=\"da\"> \(e(field.label))</label>"
            case .textarea:
                out += "<label for=\"\(inputID)\">\(e(field.label))\(star)</label><br>\n"
                out += "    <textarea id=\"\(inputID)\" name=\"\(field.name)\" rows=\"5\" maxlength=\"\(max)\"\(required)></textarea>"
            case .select:
                let choices = form.choices[field.target] ?? []
                out += "<label for=\"\(inputID)\">\(e(field.label))\(star)</label><br>\n"
                out += "    <select id=\"\(inputID)\" name=\"\(field.name)\"\(required)><option value=\"\">—</option>"
                out += choices.map { "<option>\(e($0))</option>" }.joined() + "</select>"
            default:
                let extra: String
                switch field.type {
                case .email: extra = " autocomplete=\"email\""
                case .tel: extra = " autocomplete=\"tel\""
                case .number: extra = " step=\"any\""
                default: extra = target == .contact(.name) ? " autocomplete=\"name\"" : target == .account(.name) ? " autocomplete=\"organization\"" : ""
                }
                out += "<label for=\"\(inputID)\">\(e(field.label))\(star)</label><br>\n"
                out += "    <input type=\"\(field.type.rawValue)\" id=\"\(inputID)\" name=\"\(field.name)\" maxlength=\"\(max)\"\(extra)\(required)>"
            }
            out += "</p>\n"
        }
        // People do not see this field; robots fill it.
        out += "  <div style=\"position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden\" aria-hidden=\"true\">"
        out += "<label>Nu completați acest câmp<input type=\"text\" name=\"\(WebFormRules.honeypot)\" tabindex=\"-1\" autocomplete=\"off\" value=\"\"></label></div>\n"
        out += "  <p><button type=\"submit\">Trimite</button></p>\n"
        out += "  <p class=\"crm-message\" role=\"status\" aria-live=\"polite\"></p>\n"
        out += "</form>\n"
        out += script(id)
        return out
    }

    /// The progressive enhancement: without it the browser posts the form and shows the service's page.
    static func script(_ id: String) -> String {
        """
        <script>
        (function () {
          var f = document.getElementById("\(id)");
          if (!f || !window.fetch || !window.URLSearchParams || !window.FormData) return;
          f.addEventListener("submit", function (ev) {
            ev.preventDefault();
            var box = f.querySelector(".crm-message"), button = f.querySelector("button[type=submit]");
            var marked = f.querySelectorAll(".crm-error");
            for (var i = 0; i < marked.length; i++) marked[i].parentNode.removeChild(marked[i]);
            button.disabled = true;
            fetch(f.action, {method: "POST", headers: {"Accept": "application/json",
                "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8"}, body: new URLSearchParams(new FormData(f)).toString()})
              .then(function (r) { return r.json(); })
              .then(function (a) {
                button.disabled = false;
                if (a.redirect) { window.location.href = a.redirect; return; }
                box.textContent = a.message;
                box.className = "crm-message " + (a.ok ? "crm-ok" : "crm-failed");
                (a.errors || []).forEach(function (e) {
                  var input = e.field && f.elements[e.field];
                  var note = document.createElement("span");
                  note.className = "crm-error"; note.textContent = " " + (e.label ? e.label + ": " : "") + e.text;
                  if (input && input.parentNode) { input.setAttribute("aria-invalid", "true"); input.parentNode.appendChild(note); }
                  else box.appendChild(note);
                });
                if (a.ok) f.reset();
              })
              .catch(function () { button.disabled = false; HTMLFormElement.prototype.submit.call(f); });
          });
        })();
        </script>

        """
    }

    static func maxLength(_ target: WebFormTarget) -> Int {
        switch target {
        case .account(let f): return f.maxLength
        case .contact(let f): return f.maxLength
        case .custom: return 2_000
        }
    }

    /// The page `crm serve` shows at the form's address ("Accesează formular").
    public static func page(_ form: WebFormDetails, action: String) -> String {
        document(form.definition.name, snippet(form, action: action))
    }

    /// The answer to a submission sent without the script.
    public static func result(title: String, message: String, issues: [(label: String, text: String)]) -> String {
        let e = TrackedHTML.escape
        var body = "<p class=\"crm-message\">\(e(message))</p>\n"
        if !issues.isEmpty {
            body += "<ul>\n" + issues.map { "<li>\($0.label.isEmpty ? "" : "<b>\(e($0.label))</b>: ")\(e($0.text))</li>" }.joined(separator: "\n") + "\n</ul>\n"
            body += "<p>Reveniți la pagina anterioară, corectați și trimiteți din nou.</p>\n"
        }
        return document(title, body)
    }

    static func document(_ title: String, _ body: String) -> String {
        """
        <!doctype html>
        <html lang="ro"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(TrackedHTML.escape(title))</title>
        <style>body{font-family:sans-serif;max-width:40em;margin:2em auto;padding:0 1em}input,textarea,select{width:100%;max-width:30em}
        input[type=checkbox]{width:auto}.crm-error,.crm-failed{color:#b00020}.crm-ok{color:#1b5e20}</style>
        </head><body>
        <h1>\(TrackedHTML.escape(title))</h1>
        \(body)</body></html>

        """
    }
}
