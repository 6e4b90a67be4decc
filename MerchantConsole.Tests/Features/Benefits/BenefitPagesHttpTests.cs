using System.Net;
using MerchantConsole.Domain.Benefits;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Tests.Domain.Benefits;
using MerchantConsole.Tests.Features.Plans;
using MerchantConsole.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Tests.Features.Benefits;

/// <summary>The benefit pages and the plan page's Benefits section as the real app serves them (prerendered).</summary>
[Collection(AppCollection.Name)]
public sealed class BenefitPagesHttpTests(AppFixture app)
{
    [Fact]
    public async Task ABenefitShowsOnItsPlanPageAndItsOwnPageAndAnotherMerchantGets404()
    {
        var (planId, benefitId, name) = await DraftBenefitAsync("aroma-coffee");
        var aroma = await EnglishClientAsync("admin@aroma.demo");
        var orchard = await EnglishClientAsync("admin@orchard.demo");

        var planHtml = await aroma.GetStringAsync($"/plans/{planId}");
        var page = await aroma.GetAsync($"/benefits/{benefitId}");
        var pageHtml = await page.Content.ReadAsStringAsync();
        var wizard = await aroma.GetAsync($"/benefits/{benefitId}/edit");
        var foreign = await orchard.GetAsync($"/benefits/{benefitId}");
        var foreignWizard = await orchard.GetAsync($"/benefits/{benefitId}/edit");
        var foreignNew = await orchard.GetAsync($"/plans/{planId}/benefits/new");

        Assert.Contains("Benefits", planHtml);
        Assert.Contains(name, planHtml);
        Assert.Contains($"href=\"/benefits/{benefitId}\"", planHtml);
        Assert.Contains("data-testid=\"benefit-add\"", planHtml);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("data-testid=\"benefit-version\"", pageHtml);
        Assert.Contains("Draft", pageHtml);
        Assert.Equal(HttpStatusCode.OK, wizard.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.DoesNotContain(name, await foreign.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, foreignWizard.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, foreignNew.StatusCode);
    }

    [Fact]
    public async Task TheBenefitPageSpeaksChinese()
    {
        var (_, benefitId, _) = await DraftBenefitAsync("aroma-coffee");
        var client = await app.SignedInClientAsync("admin@aroma.demo");
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");

        var html = await client.GetStringAsync($"/benefits/{benefitId}");

        Assert.Contains("已发券数", html);
        Assert.Contains("草稿", html);
    }

    [Fact]
    public async Task SupportReachTheFeedRebuildFromTheirDashboardAndMerchantStaffDoNot()
    {
        var support = await EnglishClientAsync("support@merchantconsole.demo");
        var admin = await EnglishClientAsync("admin@aroma.demo");

        var dashboard = await support.GetStringAsync("/");
        var page = await support.GetAsync("/support/feed");
        var adminPage = await admin.GetAsync("/support/feed");

        Assert.Contains("href=\"/support/feed\"", dashboard);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("data-testid=\"feed-rebuild\"", await page.Content.ReadAsStringAsync());
        Assert.DoesNotContain("data-testid=\"feed-rebuild\"", await adminPage.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheBenefitPageShowsTheVersionInForceTodayAndTheScheduledOneWithItsDateInBothLanguages()
    {
        var (benefitId, scheduledFrom) = await ScheduledBenefitAsync("aroma-coffee");
        var english = await EnglishClientAsync("admin@aroma.demo");
        var chinese = await app.SignedInClientAsync("admin@aroma.demo");
        chinese.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");

        var englishHtml = await english.GetStringAsync($"/benefits/{benefitId}");
        var chineseHtml = await chinese.GetStringAsync($"/benefits/{benefitId}");

        var date = scheduledFrom.ToString("yyyy-MM-dd");
        Assert.Contains("In force today: v1", englishHtml);
        Assert.Contains($"Scheduled: v2 from {date}", englishHtml);
        Assert.Contains($"scheduled from {date}", englishHtml);
        Assert.Contains("今日生效：v1", chineseHtml);
        Assert.Contains($"待生效：v2，自 {date} 起", chineseHtml);
    }

    [Fact]
    public async Task ABenefitsHistoryNamesWhatChangedInWordsInBothLanguages()
    {
        var (_, benefitId, name) = await DraftBenefitAsync("aroma-coffee");
        await using (var db = await app.Factory.ContextForMerchantAsync("aroma-coffee", "admin@aroma.demo"))
        {
            var benefit = await db.Benefits.Include(b => b.Versions).SingleAsync(b => b.Id == benefitId);
            benefit.ChangeDraft(v => v.SetCustomText("A slice of cake on your birthday"), "admin@aroma.demo", DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
        }
        var english = await EnglishClientAsync("admin@aroma.demo");
        var chinese = await app.SignedInClientAsync("admin@aroma.demo");
        chinese.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");

        var englishHtml = WebUtility.HtmlDecode(await english.GetStringAsync($"/benefits/{benefitId}"));
        var chineseHtml = WebUtility.HtmlDecode(await chinese.GetStringAsync($"/benefits/{benefitId}"));

        // Each part by its name in the reader's language, and the edit as the field's old and new value.
        Assert.Contains($"Added Benefit “{name}”", englishHtml);
        Assert.Contains("Added Version “1”", englishHtml);
        Assert.Contains("Version: Text shown to customers: (none) → A slice of cake on your birthday", englishHtml);
        Assert.DoesNotContain("Internal bookkeeping only", englishHtml);
        Assert.Contains($"新增权益“{name}”", chineseHtml);
        Assert.Contains("版本：向顾客展示的说明", chineseHtml);
        Assert.DoesNotContain("BenefitVersion", chineseHtml);
    }

    /// <summary>A Custom benefit live since two days ago (v1) with v2 Active but dated a month ahead.</summary>
    private async Task<(Guid BenefitId, DateOnly ScheduledFrom)> ScheduledBenefitAsync(string merchantCode)
    {
        await using var db = await app.Factory.ContextForMerchantAsync(merchantCode, "benefit tests");
        var plan = await db.MembershipPlans.Include(p => p.Tiers).FirstAsync(p => p.Status == PlanStatus.Active);
        var now = DateTimeOffset.UtcNow;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var benefit = TestBenefits.Live(plan, today.AddDays(-2), today, now, $"Cake {Guid.NewGuid():N}"[..20]);
        Assert.Empty(TestBenefits.Activate(benefit, today.AddDays(30), today, now));
        db.Benefits.Add(benefit);
        await db.SaveChangesAsync();
        return (benefit.Id, today.AddDays(30));
    }

    private async Task<(Guid PlanId, Guid BenefitId, string Name)> DraftBenefitAsync(string merchantCode)
    {
        await using var db = await app.Factory.ContextForMerchantAsync(merchantCode, "benefit tests");
        var plan = await db.MembershipPlans.Include(p => p.Tiers).FirstAsync(p => p.Status == PlanStatus.Active);
        var name = $"Birthday cake {Guid.NewGuid():N}"[..24];
        var benefit = Benefit.Create(plan, name, [], BenefitKind.Custom, new DateOnly(2026, 12, 1), "tests", DateTimeOffset.UtcNow);
        db.Benefits.Add(benefit);
        await db.SaveChangesAsync();
        return (plan.Id, benefit.Id, name);
    }

    private async Task<HttpClient> EnglishClientAsync(string email)
    {
        var client = await app.SignedInClientAsync(email);
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        return client;
    }
}
