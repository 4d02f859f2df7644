/// The structured answers about a report, in the labelled-sample format
/// (`corpus/spec/labelled-samples.md`) extended with provenance.
///
/// The same types decode a gold file (`ID.gold.json`, where provenance is absent) and encode
/// the pipeline's answers, so the scorer compares like with like.
public struct Analysis: Codable, Hashable, Sendable {
    public var metadata: ReportMetadata
    public var sections: [Section]
    public var overallAssessment: OverallAssessment?
    public var assessments: [Assessment]
    public var recommendations: [Recommendation]
    public var goals: [Goal]

    enum CodingKeys: String, CodingKey {
        case metadata, sections
        case overallAssessment = "overall_assessment"
        case assessments, recommendations, goals
    }

    public init(
        metadata: ReportMetadata = ReportMetadata(), sections: [Section] = [],
        overallAssessment: OverallAssessment? = nil, assessments: [Assessment] = [],
        recommendations: [Recommendation] = [], goals: [Goal] = []
    ) {
        self.metadata = metadata
        self.sections = sections
        self.overallAssessment = overallAssessment
        self.assessments = assessments
        self.recommendations = recommendations
        self.goals = goals
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        metadata = try c.decodeIfPresent(ReportMetadata.self, forKey: .metadata) ?? ReportMetadata()
        sections = try c.decodeIfPresent([Section].self, forKey: .sections) ?? []
        overallAssessment = try c.decodeIfPresent(
            OverallAssessment.self, forKey: .overallAssessment)
        assessments = try c.decodeIfPresent([Assessment].self, forKey: .assessments) ?? []
        recommendations =
            try c.decodeIfPresent([Recommendation].self, forKey: .recommendations) ?? []
        goals = try c.decodeIfPresent([Goal].self, forKey: .goals) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(metadata, forKey: .metadata)
        try c.encode(sections, forKey: .sections)
        try c.encode(overallAssessment, forKey: .overallAssessment)  // null when absent
        try c.encode(assessments, forKey: .assessments)
        try c.encode(recommendations, forKey: .recommendations)
        try c.encode(goals, forKey: .goals)
    }
}

/// Where an answer was found: page, span in ``Document/text``, the sentence, and how sure.
public struct Provenance: Codable, Hashable, Sendable {
    public var page: Int?
    public var span: TextSpan
    public var sentence: String
    public var confidence: Double

    public init(page: Int?, span: TextSpan, sentence: String, confidence: Double) {
        self.page = page
        self.span = span
        self.sentence = sentence
        self.confidence = confidence
    }
}

/// Who audited what, when.
public struct ReportMetadata: Codable, Hashable, Sendable {
    /// "Alingsås kommun".
    public var municipality: String?
    /// Short firm name: "KPMG", "PwC", "EY", "Deloitte", "BDO", "Grant Thornton".
    public var firm: String?
    /// ISO date, YYYY-MM-DD.
    public var date: String?
    public var title: String?
    /// Per-field provenance (keys: municipality, firm, date, title).
    public var provenance: [String: Provenance]?

    public init(
        municipality: String? = nil, firm: String? = nil, date: String? = nil,
        title: String? = nil, provenance: [String: Provenance]? = nil
    ) {
        self.municipality = municipality
        self.firm = firm
        self.date = date
        self.title = title
        self.provenance = provenance
    }

    enum CodingKeys: String, CodingKey { case municipality, firm, date, title, provenance }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(municipality, forKey: .municipality)
        try c.encode(firm, forKey: .firm)
        try c.encode(date, forKey: .date)
        try c.encode(title, forKey: .title)
        try c.encodeIfPresent(provenance, forKey: .provenance)
    }
}

/// One heading of the report body.
public struct Section: Codable, Hashable, Sendable {
    /// Numbering as printed ("3.1.2"), nil for unnumbered headings.
    public var number: String?
    public var title: String
    /// 1-based depth in the heading tree.
    public var level: Int?
    public var provenance: Provenance?

    public init(number: String?, title: String, level: Int? = nil, provenance: Provenance? = nil) {
        self.number = number
        self.title = title
        self.level = level
        self.provenance = provenance
    }

    enum CodingKeys: String, CodingKey { case number, title, level, provenance }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(number, forKey: .number)
        try c.encode(title, forKey: .title)
        try c.encodeIfPresent(level, forKey: .level)
        try c.encodeIfPresent(provenance, forKey: .provenance)
    }
}

/// A normalised verdict.
public enum Verdict: String, Codable, Hashable, Sendable, CaseIterable {
    case yes
    /// "i allt väsentligt", "Ja, i allt väsentligt".
    case largely
    /// "delvis".
    case partly
    /// "nej", "inte", "ej".
    case no
    /// Descriptive questions, or no grading stated.
    case notAssessed = "not-assessed"
}

/// The report's overall (samlad) assessment.
public struct OverallAssessment: Codable, Hashable, Sendable {
    public var verdict: Verdict
    public var text: String
    public var provenance: Provenance?

    public init(verdict: Verdict, text: String, provenance: Provenance? = nil) {
        self.verdict = verdict
        self.text = text
        self.provenance = provenance
    }
}

/// One audit question (revisionsfråga) with its verdict, per answering body.
public struct Assessment: Codable, Hashable, Sendable {
    public var question: String
    public var verdict: Verdict
    /// The body answered for, where the report answers per nämnd; else nil.
    public var body: String?
    /// The report's own wording of the verdict ("Delvis", "Ja, i allt väsentligt").
    public var rawVerdict: String?
    public var provenance: Provenance?

    public init(
        question: String, verdict: Verdict, body: String?, rawVerdict: String? = nil,
        provenance: Provenance? = nil
    ) {
        self.question = question
        self.verdict = verdict
        self.body = body
        self.rawVerdict = rawVerdict
        self.provenance = provenance
    }

    enum CodingKeys: String, CodingKey {
        case question, verdict, body
        case rawVerdict = "raw_verdict"
        case provenance
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(question, forKey: .question)
        try c.encode(verdict, forKey: .verdict)
        try c.encode(body, forKey: .body)
        try c.encodeIfPresent(rawVerdict, forKey: .rawVerdict)
        try c.encodeIfPresent(provenance, forKey: .provenance)
    }
}

/// One recommended action and the bodies it is addressed to.
public struct Recommendation: Codable, Hashable, Sendable {
    /// Lower case, as in running text: "socialnämnden".
    public var recipients: [String]
    public var text: String
    public var provenance: Provenance?

    public init(recipients: [String], text: String, provenance: Provenance? = nil) {
        self.recipients = recipients
        self.text = text
        self.provenance = provenance
    }
}

/// A goal, sub-goal, indicator or expected result of the audited body.
public struct Goal: Codable, Hashable, Sendable {
    public var text: String
    /// "75 %", where stated.
    public var target: String?
    public var year: Int?
    public var provenance: Provenance?

    public init(text: String, target: String?, year: Int?, provenance: Provenance? = nil) {
        self.text = text
        self.target = target
        self.year = year
        self.provenance = provenance
    }

    enum CodingKeys: String, CodingKey { case text, target, year, provenance }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(text, forKey: .text)
        try c.encode(target, forKey: .target)
        try c.encode(year, forKey: .year)
        try c.encodeIfPresent(provenance, forKey: .provenance)
    }
}

/// A labelled sample's gold answers (`ID.gold.json`).
public struct GoldAnswers: Codable, Hashable, Sendable {
    public var id: String
    public var analysis: Analysis

    public init(id: String, analysis: Analysis) {
        self.id = id
        self.analysis = analysis
    }

    public init(from decoder: any Decoder) throws {
        struct IDOnly: Decodable { var id: String? }
        id = try IDOnly(from: decoder).id ?? ""
        analysis = try Analysis(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        enum K: String, CodingKey { case id }
        var c = encoder.container(keyedBy: K.self)
        try c.encode(id, forKey: .id)
        try analysis.encode(to: encoder)
    }
}
