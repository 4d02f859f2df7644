import Foundation

/// Sweden's 290 municipalities (a closed class): OCR and repair may leave a name without
/// its diacritics ("Vanersborgs kommun"); metadata reports the canonical spelling.
enum MunicipalityNames {
    /// Names as the municipalities spell them (nominative), from
    /// `scripts/models/data/municipalities.txt`.
    static let names: [String] = [
        "Botkyrka", "Danderyd", "Ekerö", "Haninge", "Huddinge", "Järfälla", "Lidingö", "Nacka",
        "Norrtälje", "Nykvarn", "Nynäshamn", "Salem", "Sigtuna", "Sollentuna", "Solna", "Stockholm",
        "Sundbyberg", "Södertälje", "Tyresö", "Täby", "Upplands Väsby", "Upplands-Bro",
        "Vallentuna", "Vaxholm", "Värmdö", "Österåker", "Enköping", "Heby", "Håbo", "Knivsta",
        "Tierp", "Uppsala", "Älvkarleby", "Östhammar", "Eskilstuna", "Flen", "Gnesta",
        "Katrineholm", "Nyköping", "Oxelösund", "Strängnäs", "Trosa", "Vingåker", "Boxholm",
        "Finspång", "Kinda", "Linköping", "Mjölby", "Motala", "Norrköping", "Söderköping",
        "Vadstena", "Valdemarsvik", "Ydre", "Åtvidaberg", "Ödeshög", "Aneby", "Eksjö", "Gislaved",
        "Gnosjö", "Habo", "Jönköping", "Mullsjö", "Nässjö", "Sävsjö", "Tranås", "Vaggeryd",
        "Vetlanda", "Värnamo", "Alvesta", "Lessebo", "Ljungby", "Markaryd", "Tingsryd",
        "Uppvidinge", "Växjö", "Älmhult", "Borgholm", "Emmaboda", "Hultsfred", "Högsby", "Kalmar",
        "Mönsterås", "Mörbylånga", "Nybro", "Oskarshamn", "Torsås", "Vimmerby", "Västervik",
        "Gotland", "Karlshamn", "Karlskrona", "Olofström", "Ronneby", "Sölvesborg", "Bjuv",
        "Bromölla", "Burlöv", "Båstad", "Eslöv", "Helsingborg", "Hässleholm", "Höganäs", "Hörby",
        "Höör", "Klippan", "Kristianstad", "Kävlinge", "Landskrona", "Lomma", "Lund", "Malmö",
        "Osby", "Perstorp", "Simrishamn", "Sjöbo", "Skurup", "Staffanstorp", "Svalöv", "Svedala",
        "Tomelilla", "Trelleborg", "Vellinge", "Ystad", "Åstorp", "Ängelholm", "Örkelljunga",
        "Östra Göinge", "Falkenberg", "Halmstad", "Hylte", "Kungsbacka", "Laholm", "Varberg", "Ale",
        "Alingsås", "Bengtsfors", "Bollebygd", "Borås", "Dals-Ed", "Essunga", "Falköping",
        "Färgelanda", "Grästorp", "Gullspång", "Göteborg", "Götene", "Herrljunga", "Hjo", "Härryda",
        "Karlsborg", "Kungälv", "Lerum", "Lidköping", "Lilla Edet", "Lysekil", "Mariestad", "Mark",
        "Mellerud", "Munkedal", "Mölndal", "Orust", "Partille", "Skara", "Skövde", "Sotenäs",
        "Stenungsund", "Strömstad", "Svenljunga", "Tanum", "Tibro", "Tidaholm", "Tjörn", "Tranemo",
        "Trollhättan", "Töreboda", "Uddevalla", "Ulricehamn", "Vara", "Vårgårda", "Vänersborg",
        "Åmål", "Öckerö", "Arvika", "Eda", "Filipstad", "Forshaga", "Grums", "Hagfors", "Hammarö",
        "Karlstad", "Kil", "Kristinehamn", "Munkfors", "Storfors", "Sunne", "Säffle", "Torsby",
        "Årjäng", "Askersund", "Degerfors", "Hallsberg", "Hällefors", "Karlskoga", "Kumla", "Laxå",
        "Lekeberg", "Lindesberg", "Ljusnarsberg", "Nora", "Örebro", "Arboga", "Fagersta",
        "Hallstahammar", "Kungsör", "Köping", "Norberg", "Sala", "Skinnskatteberg", "Surahammar",
        "Västerås", "Avesta", "Borlänge", "Falun", "Gagnef", "Hedemora", "Leksand", "Ludvika",
        "Malung-Sälen", "Mora", "Orsa", "Rättvik", "Smedjebacken", "Säter", "Vansbro", "Älvdalen",
        "Bollnäs", "Gävle", "Hofors", "Hudiksvall", "Ljusdal", "Nordanstig", "Ockelbo", "Ovanåker",
        "Sandviken", "Söderhamn", "Härnösand", "Kramfors", "Sollefteå", "Sundsvall", "Timrå",
        "Ånge", "Örnsköldsvik", "Berg", "Bräcke", "Härjedalen", "Krokom", "Ragunda", "Strömsund",
        "Åre", "Östersund", "Bjurholm", "Dorotea", "Lycksele", "Malå", "Nordmaling", "Norsjö",
        "Robertsfors", "Skellefteå", "Sorsele", "Storuman", "Umeå", "Vilhelmina", "Vindeln",
        "Vännäs", "Åsele", "Arjeplog", "Arvidsjaur", "Boden", "Gällivare", "Haparanda", "Jokkmokk",
        "Kalix", "Kiruna", "Luleå", "Pajala", "Piteå", "Älvsbyn", "Överkalix", "Övertorneå",
    ]

    /// Folded name → canonical name.
    static let byKey: [String: String] = {
        var map: [String: String] = [:]
        for name in names { map[TextKey.fold(name)] = name }
        return map
    }()

    /// The canonical spelling of a name as written before "kommun" (nominative or genitive,
    /// "Vanersborgs" → "Vänersborgs", "Boras" → "Borås"), or nil for an unknown name.
    static func canonical(_ written: String) -> String? {
        let key = TextKey.fold(written)
        if let name = byKey[key] {
            // The name itself; a genitive "s" after a name ending in s is not written.
            return name
        }
        if key.hasSuffix("s"), let name = byKey[String(key.dropLast())] { return name + "s" }
        return nil
    }
}
