using MerchantConsole.Domain.Coupons;
using MerchantConsole.Features.Coupons;
using MerchantConsole.Tests.Domain.Coupons;

namespace MerchantConsole.Tests.Features.Coupons;

public sealed class CouponPageQueriesTests : IAsyncLifetime
{
    private CouponHarness _harness = null!;

    public async ValueTask InitializeAsync() => _harness = await CouponHarness.CreateAsync();

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    [Fact]
    public async Task TemplatesAreSearchedLiterallyFilteredByPublicationAndPagedOnlyForTheMerchant()
    {
        var templates = _harness.Templates();
        await templates.CreateAsync("Spring 100% off", CouponTestTerms.CashOff(), publish: true);
        await templates.CreateAsync("Spring draft", CouponTestTerms.CashOff(), publish: false);
        await templates.CreateAsync("Autumn", CouponTestTerms.CashOff(), publish: true);
        await _harness.Templates(_harness.OtherMerchant.Id).CreateAsync("Spring elsewhere", CouponTestTerms.CashOff(), publish: true);
        var queries = new CouponPageQueries(_harness.Contexts());

        var spring = await queries.TemplatesAsync(new CouponTemplateListQuery("spring", CouponTemplateFilter.All, 0, 10));
        var literal = await queries.TemplatesAsync(new CouponTemplateListQuery("100%", CouponTemplateFilter.All, 0, 10));
        var neverPublished = await queries.TemplatesAsync(new CouponTemplateListQuery(null, CouponTemplateFilter.NeverPublished, 0, 10));
        var secondPage = await queries.TemplatesAsync(new CouponTemplateListQuery(null, CouponTemplateFilter.All, 1, 2));

        Assert.Equal(["Spring 100% off", "Spring draft"], spring.Rows.Select(r => r.Name));
        Assert.Equal("Spring 100% off", Assert.Single(literal.Rows).Name);
        var draft = Assert.Single(neverPublished.Rows);
        Assert.Equal(("Spring draft", null, true), (draft.Name, draft.PublishedVersion, draft.HasDraft));
        Assert.Equal(3, secondPage.Total);
        Assert.Equal("Spring draft", Assert.Single(secondPage.Rows).Name);
    }

    [Fact]
    public async Task ActivitiesAreFilteredByStatusAndPublishedVersionsAreOffered()
    {
        await _harness.EffectiveCouponActivityAsync();
        await _harness.Activities().CreateAsync("Draft one", _harness.Now, null);
        await _harness.EffectiveCouponActivityAsync(merchantId: _harness.OtherMerchant.Id);
        var queries = new CouponPageQueries(_harness.Contexts());

        var effective = await queries.ActivitiesAsync(new ActivityListQuery(null, ActivityStatus.Effective, 0, 10));
        var all = await queries.ActivitiesAsync(new ActivityListQuery(null, null, 0, 10));
        var versions = await queries.PublishedVersionsAsync();

        Assert.Equal(("Spring", 1), (Assert.Single(effective.Rows).Name, effective.Rows[0].CouponActivities));
        Assert.Equal(2, all.Total);
        Assert.Equal(1, Assert.Single(versions).Number);
    }
}
