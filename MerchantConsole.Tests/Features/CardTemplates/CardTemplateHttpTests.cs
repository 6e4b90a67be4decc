using System.Net;
using MerchantConsole.Data;
using MerchantConsole.Domain.CardTemplates;
using MerchantConsole.Features.CardTemplates;
using MerchantConsole.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantConsole.Tests.Features.CardTemplates;

[Collection(AppCollection.Name)]
public sealed class CardTemplateHttpTests(AppFixture app)
{
    private async Task<CardTemplateService> ServiceForAsync(string merchantCode)
    {
        var contexts = app.Factory.Services.GetRequiredService<ProviderContextOptions>();
        await using var db = contexts.Create(new MerchantScope());
        var merchantId = await db.Merchants.Where(m => m.Code == merchantCode).Select(m => m.Id).SingleAsync();
        var scope = new MerchantScope();
        scope.UseMerchant(merchantId, "http-test");
        return new CardTemplateService(new MerchantDbContextFactory(contexts, scope), TimeProvider.System);
    }

    [Fact]
    public async Task AnotherMerchantsTemplateAndImageAreNotFound()
    {
        var orchard = await ServiceForAsync("fresh-orchard");
        var template = await orchard.CreateAsync($"Orchard card {Guid.NewGuid():N}", CardTemplateHarness.Design("果园秘密卡"));
        var image = await orchard.UploadImageAsync(TestImages.Png(8, 8), "orchard.png");
        using var aroma = await app.SignedInClientAsync("admin@aroma.demo");

        var designer = await aroma.GetAsync($"/card-templates/{template.Id}");
        var preview = await aroma.GetAsync($"/card-templates/{template.Id}/preview");
        var picture = await aroma.GetAsync($"/card-templates/images/{image.Id}");
        var export = await aroma.GetAsync($"/card-templates/{template.Id}/versions/{Guid.NewGuid()}/export/apple");

        Assert.Equal(HttpStatusCode.NotFound, designer.StatusCode);
        Assert.DoesNotContain("果园秘密卡", await designer.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, preview.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, picture.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, export.StatusCode);
    }

    [Fact]
    public async Task AnImageIsServedWithItsSniffedTypeNosniffAndInline()
    {
        var aromaService = await ServiceForAsync("aroma-coffee");
        var png = TestImages.Png(12, 12);
        var image = await aromaService.UploadImageAsync(png, "renamed.jpg");
        using var client = await app.SignedInClientAsync("admin@aroma.demo");

        var response = await client.GetAsync($"/card-templates/images/{image.Id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("inline", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal((await aromaService.ImageAsync(image.Id!.Value))!.Bytes, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task ASignedOutVisitorGetsNoImage()
    {
        var image = await (await ServiceForAsync("aroma-coffee")).UploadImageAsync(TestImages.Png(4, 4), "logo.png");
        using var anonymous = app.NewClient();

        var response = await anonymous.GetAsync($"/card-templates/images/{image.Id}");

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task TheExportsCarryTheDesignOfTheChosenVersion()
    {
        var aromaService = await ServiceForAsync("aroma-coffee");
        var created = await aromaService.CreateAsync($"Export card {Guid.NewGuid():N}", CardTemplateHarness.Design());
        var template = (await aromaService.FindAsync(created.Id!.Value))!;
        var version = template.CurrentDraft!;
        using var client = await app.SignedInClientAsync("admin@aroma.demo");

        var apple = await client.GetAsync($"/card-templates/{template.Id}/versions/{version.Id}/export/apple");
        var google = await client.GetAsync($"/card-templates/{template.Id}/versions/{version.Id}/export/google");

        Assert.Equal(HttpStatusCode.OK, apple.StatusCode);
        Assert.Equal("pass.json", apple.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        using var pass = System.Text.Json.JsonDocument.Parse(await apple.Content.ReadAsStringAsync());
        Assert.Equal("山茶咖啡会员卡", pass.RootElement.GetProperty("description").GetString());
        Assert.True(pass.RootElement.TryGetProperty("storeCard", out _));
        using var loyalty = System.Text.Json.JsonDocument.Parse(await google.Content.ReadAsStringAsync());
        Assert.Equal("山茶咖啡", loyalty.RootElement.GetProperty("issuerName").GetString());
        Assert.Equal("#63B359", loyalty.RootElement.GetProperty("hexBackgroundColor").GetString());
    }

    private async Task<(CardTemplateService Service, Guid ImageId, string Token, SaveResult Template)> TemplateWithLogoAsync(bool publish)
    {
        var service = await ServiceForAsync("aroma-coffee");
        var image = await service.UploadImageAsync(TestImages.Encoded(TestImages.Format.Png, 32, 32), "logo.png");
        var name = $"Logo card {Guid.NewGuid():N}";
        var design = CardTemplateHarness.Design() with { LogoImageId = image.Id };
        var created = await service.CreateAsync(name, design);
        if (publish)
            created = await service.PublishAsync(created.Id!.Value, created.Stamp!.Value, name, design);
        var token = (await service.PublicTokensAsync([image.Id!.Value]))[image.Id!.Value];
        return (service, image.Id!.Value, token, created);
    }

    [Fact]
    public async Task AnImageOfAPublishedDesignIsServedAnonymouslyByItsTokenCacheableAndNosniff()
    {
        var (service, imageId, token, _) = await TemplateWithLogoAsync(publish: true);
        using var anonymous = app.NewClient();

        var response = await anonymous.GetAsync(CardTemplatesSetup.PublicImageUrl(token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.True(response.Headers.CacheControl?.Public);
        Assert.Equal((await service.ImageAsync(imageId))!.Bytes, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task AnImageOfAnUnpublishedDesignOrAGuessedTokenIsNotFoundAnonymously()
    {
        var (_, imageId, token, _) = await TemplateWithLogoAsync(publish: false);
        using var anonymous = app.NewClient();

        var draft = await anonymous.GetAsync(CardTemplatesSetup.PublicImageUrl(token));
        var guessed = await anonymous.GetAsync(CardTemplatesSetup.PublicImageUrl(UploadedImage.NewToken()));
        var byId = await anonymous.GetAsync(CardTemplatesSetup.PublicImageUrl(imageId.ToString("N")));

        Assert.Equal(HttpStatusCode.NotFound, draft.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, guessed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, byId.StatusCode);
    }

    [Fact]
    public async Task TheGoogleExportPointsAtThePublicImageAddressUnderTheConfiguredBaseUrl()
    {
        var (service, _, token, template) = await TemplateWithLogoAsync(publish: true);
        var version = (await service.FindAsync(template.Id!.Value))!.LatestPublished!;
        var urls = app.Factory.Services.GetRequiredService<MerchantConsole.Hosting.PublicUrls>();
        using var client = await app.SignedInClientAsync("admin@aroma.demo");

        var google = await client.GetAsync($"/card-templates/{template.Id}/versions/{version.Id}/export/google");

        Assert.Equal(HttpStatusCode.OK, google.StatusCode);
        using var loyalty = System.Text.Json.JsonDocument.Parse(await google.Content.ReadAsStringAsync());
        var logo = new Uri(loyalty.RootElement.GetProperty("programLogo").GetProperty("sourceUri").GetProperty("uri").GetString()!);
        Assert.Equal(urls.Absolute(CardTemplatesSetup.PublicImageUrl(token)), logo);
        // Built from the setting, not from the Host the request came in on.
        Assert.NotEqual(new Uri(app.BaseAddress).Authority, logo.Authority);
        using var anonymous = app.NewClient();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(logo.PathAndQuery)).StatusCode);
    }

    [Fact]
    public void TheUnusedImageCleanUpIsARecurringJob()
    {
        using var connection = app.Factory.Services.GetRequiredService<Hangfire.JobStorage>().GetConnection();

        var job = Assert.Single(Hangfire.Storage.StorageConnectionExtensions.GetRecurringJobs(connection),
            j => j.Id == UploadedImageStore.CleanupJobId);

        Assert.Equal(nameof(UploadedImageStore.RemoveUnusedAsync), job.Job.Method.Name);
    }

    [Fact]
    public async Task AStoreManagerCanOpenThePreviewButNotTheDesigner()
    {
        var aromaService = await ServiceForAsync("aroma-coffee");
        var created = await aromaService.CreateAsync($"Store card {Guid.NewGuid():N}", CardTemplateHarness.Design());
        using var store = await app.SignedInClientAsync("store@aroma.demo");

        var preview = await store.GetAsync($"/card-templates/{created.Id}/preview");
        var designer = await store.GetAsync($"/card-templates/{created.Id}");

        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Contains("data-testid=\"card-preview\"", await preview.Content.ReadAsStringAsync());
        Assert.NotEqual(HttpStatusCode.OK, designer.StatusCode);
        Assert.DoesNotContain("data-testid=\"design-form\"", await designer.Content.ReadAsStringAsync());
    }
}
