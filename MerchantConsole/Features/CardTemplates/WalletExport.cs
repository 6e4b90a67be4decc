using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MerchantConsole.Domain.CardTemplates;
using MerchantConsole.Domain.Common;

namespace MerchantConsole.Features.CardTemplates;

/// <summary>
/// The documents a wallet needs, built from a design. Signing, images and upload are the host's job:
/// these are only the JSON bodies.
/// </summary>
public static partial class WalletExport
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        // The documents go to wallet APIs and files, never into HTML; Chinese stays readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// An unsigned storeCard pass.json. Layout (<see cref="PlatformLimits.AppleSecondaryAndAuxiliaryCount"/> counts on it):
    /// the card number (when shown) is the primary field, the other shown fields are secondary fields, custom cells are
    /// auxiliary fields, and notice,
    /// description and service phone are on the back.
    /// </summary>
    /// <param name="card">Whose values fill the fields: a member's, or a sample for a preview pass.</param>
    public static string ApplePassJson(DisplayDesign design, string passTypeIdentifier, string teamIdentifier,
        string serialNumber, SampleCard card)
    {
        DisplayDesignValidator.EnsureValid(design);
        Required(passTypeIdentifier, "pass type identifier");
        Required(teamIdentifier, "team identifier");
        Required(serialNumber, "serial number");

        var shown = CardFace.Each(design.ShownFields);
        var storeCard = new JsonObject
        {
            ["primaryFields"] = Fields(shown.Where(f => f == ShownFields.CardNumber)
                .Select(f => AppleField("cardNumber", CardFace.Label(f), card.Display(f)))),
            ["secondaryFields"] = Fields(shown.Where(f => f != ShownFields.CardNumber)
                .Select(f => AppleField(f.ToString().ToLowerInvariant(), CardFace.Label(f), card.Display(f)))),
            ["auxiliaryFields"] = Fields(design.CustomCells
                .Select((cell, i) => AppleField($"custom{i + 1}", cell.Label, card.Display(cell)))),
            ["backFields"] = Fields(new[]
                {
                    ("subtitle", "Subtitle", design.Subtitle),
                    ("notice", "Notice", design.Notice),
                    ("description", "Description", design.Description),
                    ("servicePhone", "Service phone", design.ServicePhone),
                }
                .Where(f => !string.IsNullOrWhiteSpace(f.Item3))
                .Select(f => AppleField(f.Item1, f.Item2, f.Item3!))),
        };

        var pass = new JsonObject
        {
            ["formatVersion"] = 1,
            ["passTypeIdentifier"] = passTypeIdentifier,
            ["teamIdentifier"] = teamIdentifier,
            ["serialNumber"] = serialNumber,
            ["organizationName"] = design.BrandName,
            ["description"] = design.Title,
            ["logoText"] = design.BrandName,
            ["foregroundColor"] = Rgb(design.TextColor),
            ["backgroundColor"] = Rgb(design.BackgroundColor),
            // The design has one text colour; labels use it too.
            ["labelColor"] = Rgb(design.TextColor),
        };
        if (design.Barcode != BarcodeKind.None)
            pass["barcodes"] = new JsonArray(new JsonObject
            {
                ["format"] = design.Barcode == BarcodeKind.QrCode ? "PKBarcodeFormatQR" : "PKBarcodeFormatCode128",
                ["message"] = card.CardNumber.Replace(" ", "", StringComparison.Ordinal),
                ["messageEncoding"] = "iso-8859-1",
                ["altText"] = card.CardNumber,
            });
        pass["storeCard"] = storeCard;
        return pass.ToJsonString(Options);
    }

    /// <summary>A Google Wallet LoyaltyClass, ready for the classes insert call.</summary>
    /// <param name="imageUri">Public address of an uploaded image; Google fetches the logo itself.</param>
    /// <param name="issuerNameLanguage">BCP 47 tag such as zh-CN; when given, the brand name is also sent as the localized issuer name.</param>
    public static string GoogleLoyaltyClassJson(DisplayDesign design, string issuerId, string classSuffix,
        Func<Guid, Uri> imageUri, string? issuerNameLanguage = null)
    {
        DisplayDesignValidator.EnsureValid(design);
        if (!IssuerIdPattern().IsMatch(issuerId ?? ""))
            throw new DomainException("Wallet.IssuerIdInvalid", "A Google Wallet issuer id is the number shown in the Google Pay & Wallet Console.");
        if (!ClassSuffixPattern().IsMatch(classSuffix ?? ""))
            throw new DomainException("Wallet.ClassSuffixInvalid", "A Google Wallet class suffix uses only letters, digits, '.', '_' and '-'.");

        var loyaltyClass = new JsonObject
        {
            ["id"] = $"{issuerId}.{classSuffix}",
            ["issuerName"] = design.BrandName,
            ["programName"] = design.Title,
        };
        if (design.LogoImageId is { } logo)
            loyaltyClass["programLogo"] = new JsonObject
            {
                ["sourceUri"] = new JsonObject { ["uri"] = imageUri(logo).AbsoluteUri },
            };
        loyaltyClass["hexBackgroundColor"] = design.BackgroundColor;
        loyaltyClass["reviewStatus"] = "UNDER_REVIEW";
        if (!string.IsNullOrWhiteSpace(issuerNameLanguage))
            loyaltyClass["localizedIssuerName"] = new JsonObject
            {
                ["defaultValue"] = new JsonObject { ["language"] = issuerNameLanguage, ["value"] = design.BrandName },
            };

        var modules = new JsonArray();
        if (!string.IsNullOrWhiteSpace(design.Notice))
            modules.Add(new JsonObject { ["id"] = "notice", ["header"] = "Notice", ["body"] = design.Notice });
        if (!string.IsNullOrWhiteSpace(design.Description))
            modules.Add(new JsonObject { ["id"] = "description", ["header"] = "Description", ["body"] = design.Description });
        if (modules.Count > 0)
            loyaltyClass["textModulesData"] = modules;

        if (!string.IsNullOrWhiteSpace(design.ServicePhone))
            loyaltyClass["linksModuleData"] = new JsonObject
            {
                ["uris"] = new JsonArray(new JsonObject
                {
                    ["id"] = "servicePhone",
                    ["uri"] = "tel:" + TelNumber(design.ServicePhone),
                    ["description"] = "Service phone",
                }),
            };
        return loyaltyClass.ToJsonString(Options);
    }

    // RFC 3966 allows '-' as a visual separator but not spaces or parentheses.
    private static string TelNumber(string phone) =>
        string.Concat(phone.Where(c => char.IsAsciiDigit(c) || c is '+' or '-'));

    private static string Rgb(string hex)
    {
        var (r, g, b) = HexColor.Parse(hex);
        return $"rgb({r}, {g}, {b})";
    }

    private static JsonObject AppleField(string key, string label, string value) =>
        new() { ["key"] = key, ["label"] = label, ["value"] = value };

    private static JsonArray Fields(IEnumerable<JsonObject> fields) => new([.. fields]);

    private static void Required(string value, string what)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new DomainException("Wallet.AppleFieldRequired", "An Apple Wallet pass needs a {Field}.", ("Field", what));
    }

    [GeneratedRegex("^[0-9]+$")]
    private static partial Regex IssuerIdPattern();

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex ClassSuffixPattern();
}
