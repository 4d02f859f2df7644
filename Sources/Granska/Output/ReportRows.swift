import Foundation
import GRDB

/// The corpus-database values of one processed document that come from its report: the
/// report columns of `documents` and the rows of every child table (without `document_id`).
///
/// Ingest workers compute them next to the report and send both, so the parent writes a
/// document without decoding its report JSON (which took most of the parent's CPU and kept
/// two workers from using two cores); ``CorpusStore/write(_:)`` computes them from a
/// decoded report. Both write through the same code.
struct ReportRows: Sendable, Equatable {
    /// kind, title, municipality, firm, report_date, overall_verdict, overall_text,
    /// overall_page, overall_span_start, overall_span_end, pdf_title, pdf_author,
    /// pdf_creation_date, page_count, block_count, char_count, section_titles, text.
    var document: [DatabaseValue] = []
    /// number, width, height, span_start, span_end, flags, furniture (JSON).
    var pages: [[DatabaseValue]] = []
    /// field, value, page, span_start, span_end, sentence, confidence.
    var metadataProvenance: [[DatabaseValue]] = []
    /// ordinal, number, title, level, then the provenance columns.
    var sections: [[DatabaseValue]] = []
    /// ordinal, question, verdict, raw_verdict, body, then the provenance columns.
    var assessments: [[DatabaseValue]] = []
    /// ordinal, text, then the provenance columns.
    var recommendations: [[DatabaseValue]] = []
    /// The recipients of each recommendation, in order.
    var recipients: [[String]] = []
    /// ordinal, text, target, year, then the provenance columns.
    var goals: [[DatabaseValue]] = []
    /// ordinal, original, replacement, page, span_start, span_end, confidence, evidence.
    var repairEdits: [[DatabaseValue]] = []
    /// ordinal, severity, stage, code, message, page.
    var diagnostics: [[DatabaseValue]] = []
    /// Pages of the document (for progress and the run summary).
    var pageCount = 0

    init() {}

    init(report: AnalysisReport) throws {
        let metadata = report.metadata
        let overall = report.overallAssessment
        document = [
            report.source.kind.rawValue.databaseValue, value(metadata.title),
            value(metadata.municipality), value(metadata.firm), value(metadata.date),
            value(overall?.verdict.rawValue), value(overall?.text),
            value(overall?.provenance?.page), value(overall?.provenance?.span.start),
            value(overall?.provenance?.span.end), value(report.pdfMetadata.title),
            value(report.pdfMetadata.author), value(report.pdfMetadata.creationDate),
            report.pages.count.databaseValue, report.blocks.count.databaseValue,
            report.text.unicodeScalars.count.databaseValue,
            report.sections.map(\.title).joined(separator: "\n").databaseValue,
            report.text.databaseValue,
        ]
        pageCount = report.pages.count

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        pages = try report.pages.map { p in
            let furniture = String(decoding: try encoder.encode(p.furniture), as: UTF8.self)
            return [
                p.number.databaseValue, p.width.databaseValue, p.height.databaseValue,
                value(p.span?.start), value(p.span?.end),
                p.flags.map(\.rawValue).joined(separator: ",").databaseValue,
                furniture.databaseValue,
            ]
        }

        let values = [
            "municipality": metadata.municipality, "firm": metadata.firm,
            "date": metadata.date, "title": metadata.title,
        ]
        metadataProvenance = (metadata.provenance ?? [:]).sorted(by: { $0.key < $1.key }).map {
            (field, p) in
            [field.databaseValue, value(values[field] ?? nil)] + ReportRows.provenance(p)
        }
        sections = report.sections.enumerated().map { (i, s) in
            [i.databaseValue, value(s.number), s.title.databaseValue, value(s.level)]
                + ReportRows.provenance(s.provenance)
        }
        assessments = report.assessments.enumerated().map { (i, a) in
            [
                i.databaseValue, a.question.databaseValue, a.verdict.rawValue.databaseValue,
                value(a.rawVerdict), value(a.body),
            ] + ReportRows.provenance(a.provenance)
        }
        recommendations = report.recommendations.enumerated().map { (i, r) in
            [i.databaseValue, r.text.databaseValue] + ReportRows.provenance(r.provenance)
        }
        recipients = report.recommendations.map(\.recipients)
        goals = report.goals.enumerated().map { (i, g) in
            [i.databaseValue, g.text.databaseValue, value(g.target), value(g.year)]
                + ReportRows.provenance(g.provenance)
        }
        repairEdits = report.repairEdits.enumerated().map { (i, e) in
            [
                i.databaseValue, e.original.databaseValue, e.replacement.databaseValue,
                value(e.page), e.span.start.databaseValue, e.span.end.databaseValue,
                e.confidence.databaseValue, e.evidence.joined(separator: ",").databaseValue,
            ]
        }
        diagnostics = report.diagnostics.enumerated().map { (i, d) in
            [
                i.databaseValue, d.severity.rawValue.databaseValue, d.stage.databaseValue,
                d.code.databaseValue, d.message.databaseValue, value(d.page),
            ]
        }
    }

    /// The provenance columns every answer table shares: page, span start and end, sentence,
    /// confidence (all NULL for an item without provenance).
    private static func provenance(_ p: Provenance?) -> [DatabaseValue] {
        [
            value(p?.page), value(p?.span.start), value(p?.span.end), value(p?.sentence),
            value(p?.confidence),
        ]
    }
}

/// NULL for nil.
private func value<T: DatabaseValueConvertible>(_ x: T?) -> DatabaseValue {
    x?.databaseValue ?? .null
}

/// A processed document as ingest writes it: what the parent knows about the input, and the
/// rows and report JSON from the worker.
struct ReportRecord: Sendable {
    var input: IngestInput
    var sha256: String
    var byteCount: Int
    var pipelineVersion: String
    var processSeconds: Double
    var ingestedAt: String
    var rows: ReportRows
    /// The report's compact JSON, stored as it is.
    var json: String
}

extension ReportRecord {
    /// The record of a decoded report.
    init(_ record: DocumentRecord, rows: ReportRows, json: String) {
        input = record.input
        sha256 = record.sha256
        byteCount = record.byteCount
        pipelineVersion = record.pipelineVersion
        processSeconds = record.processSeconds
        ingestedAt = record.ingestedAt
        self.rows = rows
        self.json = json
    }
}

// MARK: - Wire form

/// ``ReportRows`` as bytes, for the worker's reply line: tagged values (null, 64-bit
/// integer, the bits of a double, length-prefixed UTF-8 text) in table order, with line
/// breaks and backslashes escaped so the bytes stay on one line.
extension ReportRows {
    private enum Tag: UInt8 {
        case null = 0, integer = 1, double = 2, text = 3
    }

    /// The escaped bytes (no line break among them).
    func wireBytes() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        func integer(_ v: UInt64) {
            for k in 0..<8 { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(k)))) }
        }
        func text(_ s: String) {
            integer(UInt64(s.utf8.count))
            out.append(contentsOf: s.utf8)
        }
        func table(_ rows: [[DatabaseValue]]) {
            integer(UInt64(rows.count))
            for row in rows {
                integer(UInt64(row.count))
                for v in row {
                    switch v.storage {
                    case .null:
                        out.append(Tag.null.rawValue)
                    case .int64(let i):
                        out.append(Tag.integer.rawValue)
                        integer(UInt64(bitPattern: i))
                    case .double(let d):
                        out.append(Tag.double.rawValue)
                        integer(d.bitPattern)
                    case .string(let s):
                        out.append(Tag.text.rawValue)
                        text(s)
                    case .blob:
                        preconditionFailure("report rows hold no blobs")
                    }
                }
            }
        }
        table([document])
        for t in [pages, metadataProvenance, sections, assessments, recommendations] { table(t) }
        table(recipients.map { $0.map(\.databaseValue) })
        for t in [goals, repairEdits, diagnostics] { table(t) }
        integer(UInt64(pageCount))
        // Escape: "\\" → "\\\\", "\n" → "\\n".
        var escaped: [UInt8] = []
        escaped.reserveCapacity(out.count + out.count / 32)
        for byte in out {
            switch byte {
            case 0x5C: escaped += [0x5C, 0x5C]
            case 0x0A: escaped += [0x5C, 0x6E]
            default: escaped.append(byte)
            }
        }
        return escaped
    }

    /// Reads ``wireBytes()``; nil for anything malformed.
    init?(wireBytes escaped: UnsafeRawBufferPointer) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(escaped.count)
        var pendingEscape = false
        for byte in escaped {
            if pendingEscape {
                switch byte {
                case 0x5C: bytes.append(0x5C)
                case 0x6E: bytes.append(0x0A)
                default: return nil
                }
                pendingEscape = false
            } else if byte == 0x5C {
                pendingEscape = true
            } else {
                bytes.append(byte)
            }
        }
        guard !pendingEscape else { return nil }
        var reader = WireReader(bytes: bytes)
        guard let document = reader.table()?.first,
            let pages = reader.table(), let metadataProvenance = reader.table(),
            let sections = reader.table(), let assessments = reader.table(),
            let recommendations = reader.table(), let recipients = reader.table(),
            let goals = reader.table(), let repairEdits = reader.table(),
            let diagnostics = reader.table(), let pageCount = reader.integer(),
            reader.isAtEnd, recipients.count == recommendations.count
        else { return nil }
        var names: [[String]] = []
        for row in recipients {
            var list: [String] = []
            for v in row {
                guard case .string(let name) = v.storage else { return nil }
                list.append(name)
            }
            names.append(list)
        }
        self.init()
        self.document = document
        self.pages = pages
        self.metadataProvenance = metadataProvenance
        self.sections = sections
        self.assessments = assessments
        self.recommendations = recommendations
        self.recipients = names
        self.goals = goals
        self.repairEdits = repairEdits
        self.diagnostics = diagnostics
        self.pageCount = Int(truncatingIfNeeded: pageCount)
    }
}

/// Reads the unescaped wire bytes front to back.
private struct WireReader {
    let bytes: [UInt8]
    var offset = 0

    var isAtEnd: Bool { offset == bytes.count }

    mutating func integer() -> UInt64? {
        guard bytes.count - offset >= 8 else { return nil }
        var v: UInt64 = 0
        for k in 0..<8 { v |= UInt64(bytes[offset + k]) << (8 * UInt64(k)) }
        offset += 8
        return v
    }

    mutating func value() -> DatabaseValue? {
        guard offset < bytes.count else { return nil }
        let tag = bytes[offset]
        offset += 1
        switch tag {
        case 0: return .null
        case 1: return integer().map { Int64(bitPattern: $0).databaseValue }
        case 2: return integer().map { Double(bitPattern: $0).databaseValue }
        case 3:
            guard let count = integer(), count <= UInt64(bytes.count - offset) else { return nil }
            let end = offset + Int(count)
            let text = String(decoding: bytes[offset..<end], as: UTF8.self)
            offset = end
            return text.databaseValue
        default: return nil
        }
    }

    mutating func table() -> [[DatabaseValue]]? {
        guard let rowCount = integer(), rowCount <= UInt64(bytes.count) else { return nil }
        var rows: [[DatabaseValue]] = []
        rows.reserveCapacity(Int(rowCount))
        for _ in 0..<rowCount {
            guard let width = integer(), width <= UInt64(bytes.count) else { return nil }
            var row: [DatabaseValue] = []
            row.reserveCapacity(Int(width))
            for _ in 0..<width {
                guard let v = value() else { return nil }
                row.append(v)
            }
            rows.append(row)
        }
        return rows
    }
}
