using MerchantConsole.Data;
using MerchantConsole.Domain.CardTemplates;
using MerchantConsole.Features.CardTemplates;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Tests.Features.CardTemplates;

public sealed class UploadedImageStoreTests : IAsyncLifetime
{
    private CardTemplateHarness _harness = null!;

    public async ValueTask InitializeAsync() => _harness = await CardTemplateHarness.CreateAsync();

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    private CardTemplateService Service => _harness.Service();

    private UploadedImageStore Store => new(_harness.Database.Contexts, _harness.Database.Clock,
        Options.Create(new UploadOptions()), NullLogger<UploadedImageStore>.Instance);

    private async Task<Guid> UploadAsync(string name) =>
        (await Service.UploadImageAsync(TestImages.Png(8, 8), name)).Id!.Value;

    private async Task<HashSet<Guid>> StoredImagesAsync()
    {
        await using var db = _harness.Database.Unscoped();
        return [.. await db.UploadedImages.IgnoreQueryFilters().Select(i => i.Id).ToListAsync()];
    }

    private async Task<string> TokenAsync(Guid imageId) => (await Service.PublicTokensAsync([imageId]))[imageId];

    [Fact]
    public async Task ImagesNoSavedVersionUsesAreRemovedAfterADayAndUsedOnesSurvive()
    {
        var unused = await UploadAsync("unused.png");
        var inDraft = await UploadAsync("draft-logo.png");
        var inOldVersion = await UploadAsync("old-logo.png");
        var inNewVersion = await UploadAsync("new-logo.png");
        var theirsUnused = (await _harness.Service(_harness.OtherMerchant.Id).UploadImageAsync(TestImages.Png(8, 8), "theirs.png")).Id!.Value;
        await Service.CreateAsync("Draft card", CardTemplateHarness.Design() with { LogoImageId = inDraft });
        // Version 1 shows the old logo and is published; the draft of version 2 has replaced it.
        var created = await Service.CreateAsync("Published card", CardTemplateHarness.Design() with { LogoImageId = inOldVersion });
        var published = await Service.PublishAsync(created.Id!.Value, created.Stamp!.Value, "Published card",
            CardTemplateHarness.Design() with { LogoImageId = inOldVersion });
        await Service.SaveDraftAsync(created.Id!.Value, published.Stamp!.Value, "Published card",
            CardTemplateHarness.Design() with { LogoImageId = inNewVersion });
        _harness.Database.Clock.Advance(TimeSpan.FromHours(25));
        var fresh = await UploadAsync("just-uploaded.png");

        var removed = await Store.RemoveUnusedAsync();

        Assert.Equal(2, removed);
        var left = await StoredImagesAsync();
        Assert.DoesNotContain(unused, left);
        Assert.DoesNotContain(theirsUnused, left);
        Assert.Equal(new[] { inDraft, inOldVersion, inNewVersion, fresh }.Order(), left.Order());
    }

    [Fact]
    public async Task TheMerchantsLogoSurvivesTheCleanUpButIsNotPublic()
    {
        var logo = await UploadAsync("merchant-logo.png");
        await using (var db = _harness.Contexts().CreateDbContext())
        {
            var merchant = await db.Merchants.SingleAsync(m => m.Id == _harness.Merchant.Id);
            merchant.ChangeLogo(logo);
            await db.SaveChangesAsync();
        }
        _harness.Database.Clock.Advance(TimeSpan.FromDays(3));

        Assert.Equal(0, await Store.RemoveUnusedAsync());
        Assert.Contains(logo, await StoredImagesAsync());
        Assert.Null(await Store.FindPublishedAsync(await TokenAsync(logo)));
    }

    [Fact]
    public async Task AnUnusedImageYoungerThanADayIsKept()
    {
        var unused = await UploadAsync("unused.png");
        _harness.Database.Clock.Advance(TimeSpan.FromHours(23));

        Assert.Equal(0, await Store.RemoveUnusedAsync());
        Assert.Contains(unused, await StoredImagesAsync());
    }

    [Fact]
    public async Task OnlyAnImageAPublishedVersionUsesIsFoundByItsPublicToken()
    {
        var draftLogo = await UploadAsync("draft.png");
        var publishedLogo = await UploadAsync("published.png");
        await Service.CreateAsync("Draft card", CardTemplateHarness.Design() with { LogoImageId = draftLogo });
        var created = await Service.CreateAsync("Live card", CardTemplateHarness.Design() with { LogoImageId = publishedLogo });
        await Service.PublishAsync(created.Id!.Value, created.Stamp!.Value, "Live card", CardTemplateHarness.Design() with { LogoImageId = publishedLogo });

        var found = await Store.FindPublishedAsync(await TokenAsync(publishedLogo));
        var draft = await Store.FindPublishedAsync(await TokenAsync(draftLogo));
        var guessed = await Store.FindPublishedAsync(UploadedImage.NewToken());
        var byId = await Store.FindPublishedAsync(publishedLogo.ToString("N"));

        Assert.NotNull(found);
        Assert.Equal((await Service.ImageAsync(publishedLogo))!.Bytes, found.Bytes);
        Assert.Null(draft);
        Assert.Null(guessed);
        Assert.Null(byId);
    }
}
