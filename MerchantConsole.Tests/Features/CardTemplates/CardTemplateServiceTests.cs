using MerchantConsole.Data;
using MerchantConsole.Domain.CardTemplates;
using MerchantConsole.Features.CardTemplates;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Tests.Features.CardTemplates;

public sealed class CardTemplateServiceTests : IAsyncLifetime
{
    private CardTemplateHarness _harness = null!;

    public async ValueTask InitializeAsync() => _harness = await CardTemplateHarness.CreateAsync();

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    private CardTemplateService Service => _harness.Service();

    [Fact]
    public async Task CreatingATemplateStoresDraftVersionOneWithWhoAndWhen()
    {
        var created = await Service.CreateAsync("Coffee card", CardTemplateHarness.Design());

        var template = await Service.FindAsync(created.Id!.Value);
        Assert.Equal(SaveOutcome.Saved, created.Outcome);
        Assert.NotNull(template);
        Assert.Equal(CardTemplateStatus.Draft, template.Status);
        var version = Assert.Single(template.Versions);
        Assert.Equal((1, CardTemplateVersionStatus.Draft), (version.Number, version.Status));
        Assert.Equal("山茶咖啡会员卡", version.Design.Title);
        Assert.Equal("admin@cards.test", template.UpdatedBy);
        Assert.Equal(_harness.Database.Clock.GetUtcNow(), template.UpdatedAt);
        Assert.Equal(_harness.Merchant.Id, template.MerchantId);
    }

    [Fact]
    public async Task AnInvalidDesignIsRefusedWithPerFieldErrorsAndNothingStored()
    {
        var result = await Service.CreateAsync("", CardTemplateHarness.Design() with { TextColor = "red" });

        Assert.Equal(SaveOutcome.Invalid, result.Outcome);
        Assert.Contains(result.Errors!, e => e.FieldName == nameof(CardTemplate.Name) && e.Kind == DesignErrorKind.Required);
        Assert.Contains(result.Errors!, e => e.FieldName == nameof(DisplayDesign.TextColor) && e.Kind == DesignErrorKind.ColourFormat);
        Assert.Equal(0, await _harness.CountAsync<CardTemplate>());
    }

    [Fact]
    public async Task PublishingFreezesVersionOneAndTheNextEditBecomesVersionTwo()
    {
        var created = await Service.CreateAsync("Coffee card", CardTemplateHarness.Design());
        var published = await Service.PublishAsync(created.Id!.Value, created.Stamp!.Value, "Coffee card", CardTemplateHarness.Design());

        var edited = await Service.SaveDraftAsync(created.Id.Value, published.Stamp!.Value, "Coffee card", CardTemplateHarness.Design("山茶新卡"));

        var template = (await Service.FindAsync(created.Id.Value))!;
        Assert.Equal((SaveOutcome.Published, 1), (published.Outcome, published.VersionNumber));
        Assert.Equal((SaveOutcome.Saved, 2), (edited.Outcome, edited.VersionNumber));
        Assert.Equal(CardTemplateStatus.PublishedWithDraft, template.Status);
        Assert.Equal("山茶咖啡会员卡", template.LatestPublished!.Design.Title);
        Assert.Equal("山茶新卡", template.CurrentDraft!.Design.Title);
        var difference = Assert.Single(template.Compare(template.LatestPublished.Id, template.CurrentDraft.Id));
        Assert.Equal(nameof(DisplayDesign.Title), difference.Field);
    }

    [Fact]
    public async Task PublishingTheSecondDraftMakesVersionTwoTheLatestPublished()
    {
        var created = await Service.CreateAsync("Coffee card", CardTemplateHarness.Design());
        var first = await Service.PublishAsync(created.Id!.Value, created.Stamp!.Value, "Coffee card", CardTemplateHarness.Design());

        var second = await Service.PublishAsync(created.Id.Value, first.Stamp!.Value, "Coffee card", CardTemplateHarness.Design("山茶新卡"));

        var template = (await Service.FindAsync(created.Id.Value))!;
        Assert.Equal(2, second.VersionNumber);
        Assert.Equal(CardTemplateStatus.Published, template.Status);
        Assert.All(template.Versions, v => Assert.Equal(CardTemplateVersionStatus.Published, v.Status));
        Assert.Equal("山茶新卡", template.LatestPublished!.Design.Title);
    }

    [Fact]
    public async Task SavingAnUnchangedPublishedDesignSaysNothingChangedAndAddsNoVersion()
    {
        var created = await Service.CreateAsync("Coffee card", CardTemplateHarness.Design());
        var published = await Service.PublishAsync(created.Id!.Value, created.Stamp!.Value, "Coffee card", CardTemplateHarness.Design());

        var again = await Service.SaveDraftAsync(created.Id.Value, published.Stamp!.Value, "Coffee card", CardTemplateHarness.Design());

        Assert.Equal(SaveOutcome.NothingChanged, again.Outcome);
        Assert.Single((await Service.FindAsync(created.Id.Value))!.Versions);
    }

    [Fact]
    public async Task TheSecondOfTwoStaffSavingTheSameDraftGetsAConflictAndTheFirstSaveStays()
    {
        var created = await Service.CreateAsync("Coffee card", CardTemplateHarness.Design());
        var loadedByBoth = created.Stamp!.Value;
        var alice = _harness.Service(actor: "alice@cards.test");
        var bob = _harness.Service(actor: "bob@cards.test");

        var first = await alice.SaveDraftAsync(created.Id!.Value, loadedByBoth, "Coffee card", CardTemplateHarness.Design("Alice 的卡"));
        var second = await bob.SaveDraftAsync(created.Id.Value, loadedByBoth, "Coffee card", CardTemplateHarness.Design("Bob 的卡"));

        var template = (await Service.FindAsync(created.Id.Value))!;
        Assert.Equal(SaveOutcome.Saved, first.Outcome);
        Assert.Equal(SaveOutcome.Conflict, second.Outcome);
        Assert.Equal("Alice 的卡", template.CurrentDraft!.Design.Title);
        Assert.Equal("alice@cards.test", template.UpdatedBy);
    }

    [Fact]
    public async Task AConflictIsDetectedEvenWhenTheRowChangesBetweenLoadingAndSaving()
    {
        var created = await Service.CreateAsync("Coffee card", CardTemplateHarness.Design());
        var id = created.Id!.Value;
        // Another save lands after this context read the row but before it writes.
        await using var db = _harness.Contexts().CreateDbContext();
        var template = await db.CardTemplates.Include(t => t.Versions).SingleAsync(t => t.Id == id);
        await _harness.Service(actor: "someone@cards.test").SaveDraftAsync(id, created.Stamp!.Value, "Coffee card", CardTemplateHarness.Design("抢先保存"));

        template.SaveDraft(CardTemplateHarness.Design("稍后保存"), "late@cards.test", _harness.Database.Clock.GetUtcNow());

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task AnotherMerchantsTemplateIsNotFoundAndCannotBeSaved()
    {
        var theirs = await _harness.Service(_harness.OtherMerchant.Id).CreateAsync("Orchard card", CardTemplateHarness.Design());

        var found = await Service.FindAsync(theirs.Id!.Value);
        var saved = await Service.SaveDraftAsync(theirs.Id.Value, theirs.Stamp!.Value, "Hijacked", CardTemplateHarness.Design("Hijacked"));

        Assert.Null(found);
        Assert.Equal(SaveOutcome.NotFound, saved.Outcome);
        var untouched = await _harness.Service(_harness.OtherMerchant.Id).FindAsync(theirs.Id.Value);
        Assert.Equal("Orchard card", untouched!.Name);
    }

    [Fact]
    public async Task TheListSearchesByNameFiltersByStatusAndPagesOnTheServer()
    {
        var latte = await Service.CreateAsync("Latte club", CardTemplateHarness.Design());
        await Service.PublishAsync(latte.Id!.Value, latte.Stamp!.Value, "Latte club", CardTemplateHarness.Design());
        _harness.Database.Clock.Advance(TimeSpan.FromMinutes(1));
        await Service.CreateAsync("Mocha club", CardTemplateHarness.Design());
        _harness.Database.Clock.Advance(TimeSpan.FromMinutes(1));
        await Service.CreateAsync("Tea lovers", CardTemplateHarness.Design());
        await _harness.Service(_harness.OtherMerchant.Id).CreateAsync("Latte elsewhere", CardTemplateHarness.Design());

        var clubs = await Service.ListAsync(new CardTemplateQuery("club", null, 0, 10));
        var published = await Service.ListAsync(new CardTemplateQuery(null, CardTemplateStatus.Published, 0, 10));
        var drafts = await Service.ListAsync(new CardTemplateQuery(null, CardTemplateStatus.Draft, 0, 10));
        var secondPage = await Service.ListAsync(new CardTemplateQuery(null, null, 1, 2));

        Assert.Equal(["Mocha club", "Latte club"], clubs.Rows.Select(r => r.Name));
        Assert.Equal("Latte club", Assert.Single(published.Rows).Name);
        Assert.Equal(["Tea lovers", "Mocha club"], drafts.Rows.Select(r => r.Name));
        Assert.Equal(3, secondPage.Total);
        Assert.Equal("Latte club", Assert.Single(secondPage.Rows).Name);
    }

    [Fact]
    public async Task AnUploadedPngIsStoredReencodedWithItsSniffedTypeAndSizeEvenWhenNamedJpg()
    {
        var png = TestImages.Png(716, 320);

        var result = await Service.UploadImageAsync(png, "background.jpg");

        Assert.True(result.Accepted);
        var stored = await Service.ImageAsync(result.Id!.Value);
        Assert.Equal("image/png", stored!.ContentType);
        Assert.Equal(ImageInspector.Inspect(png).Bytes, stored.Bytes);
        Assert.Equal(new ImageFacts(716, 320, stored.Bytes.Length), result.Facts);
        Assert.Equal(new ImageFacts(716, 320, stored.Bytes.Length), await Service.ImageFactsAsync(result.Id));
    }

    [Fact]
    public async Task AnUploadOverTheMerchantsQuotaIsRefusedSayingHowFullItIs()
    {
        var first = TestImages.Encoded(TestImages.Format.Png, 64, 48);
        var storedLength = ImageInspector.Inspect(first).Bytes!.Length;
        var quota = Options.Create(new UploadOptions { MerchantQuotaBytes = storedLength + 100 });
        var service = new CardTemplateService(_harness.Contexts(), _harness.Database.Clock, quota);
        var other = new CardTemplateService(_harness.Contexts(_harness.OtherMerchant.Id), _harness.Database.Clock, quota);

        var accepted = await service.UploadImageAsync(first, "first.png");
        var refused = await service.UploadImageAsync(TestImages.Encoded(TestImages.Format.Png, 64, 48), "second.png");
        var elsewhere = await other.UploadImageAsync(TestImages.Encoded(TestImages.Format.Png, 64, 48), "theirs.png");

        Assert.True(accepted.Accepted);
        Assert.Equal(ImageRefusal.QuotaExceeded, refused.Refusal);
        Assert.Null(refused.Id);
        Assert.Equal((storedLength + 100L, (long)storedLength), (refused.QuotaBytes, refused.UsedBytes));
        Assert.True(elsewhere.Accepted);
        Assert.Equal(2, await _harness.CountAsync<UploadedImage>());
    }

    [Fact]
    public async Task ATemplateNameOfFortyEmojiIsRefusedBeforeItReachesTheColumn()
    {
        var name = string.Concat(Enumerable.Repeat("👨‍👩‍👧‍👦", 40));

        var result = await Service.CreateAsync(name, CardTemplateHarness.Design());

        Assert.Equal(SaveOutcome.Invalid, result.Outcome);
        Assert.Equal(DesignErrorKind.TooLongToStore, Assert.Single(result.Errors!).Kind);
        Assert.Equal(0, await _harness.CountAsync<CardTemplate>());
    }

    [Fact]
    public async Task EachUploadGetsItsOwnUnguessablePublicToken()
    {
        var a = await Service.UploadImageAsync(TestImages.Png(4, 4), "a.png");
        var b = await Service.UploadImageAsync(TestImages.Png(4, 4), "b.png");

        var tokens = await Service.PublicTokensAsync([a.Id!.Value, b.Id!.Value]);

        Assert.Equal(2, tokens.Values.Distinct().Count());
        Assert.All(tokens.Values, t => Assert.True(UploadedImage.IsWellFormedToken(t), t));
        Assert.Empty(await _harness.Service(_harness.OtherMerchant.Id).PublicTokensAsync([a.Id!.Value]));
    }

    [Theory]
    [InlineData("text")]
    [InlineData("huge")]
    [InlineData("giant")]
    public async Task ARefusedUploadStoresNothing(string kind)
    {
        var bytes = kind switch
        {
            "text" => TestImages.Text("definitely not a picture"),
            "huge" => new byte[ImageInspector.MaxBytes + 1],
            _ => TestImages.PngClaiming(5000, 4000),
        };

        var result = await Service.UploadImageAsync(bytes, "logo.png");

        Assert.False(result.Accepted);
        Assert.Null(result.Id);
        Assert.Equal(0, await _harness.CountAsync<UploadedImage>());
    }

    [Fact]
    public async Task AnotherMerchantsImageCannotBeReadOrUsedInADesign()
    {
        var theirs = await _harness.Service(_harness.OtherMerchant.Id).UploadImageAsync(TestImages.Png(10, 10), "logo.png");

        var image = await Service.ImageAsync(theirs.Id!.Value);
        var created = await Service.CreateAsync("Coffee card", CardTemplateHarness.Design() with { LogoImageId = theirs.Id });

        Assert.Null(image);
        Assert.Equal(SaveOutcome.UnknownImage, created.Outcome);
        Assert.Equal(0, await _harness.CountAsync<CardTemplate>());
    }
}
