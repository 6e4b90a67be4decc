using System.Globalization;
using Bunit;
using MerchantConsole.Account;
using MerchantConsole.Data;
using MerchantConsole.Domain.CardTemplates;
using MerchantConsole.Domain.Coupons;
using MerchantConsole.Domain.Members;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.Members;
using MerchantConsole.Features.CardTemplates;
using MerchantConsole.Features.Coupons;
using MerchantConsole.Tests.TestSupport;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Tests.Features.Coupons;

/// <summary>The coupon designer, the redemption page and the activity page rendered with bUnit over a real database.</summary>
public sealed class CouponPagesTests : MudBunitContext, IAsyncLifetime
{
    /// <summary>Each wait covers a save on SQLite; on a loaded machine that takes seconds, not milliseconds.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private CouponHarness _harness = null!;
    private IRenderedComponent<MudBlazor.MudDialogProvider> _dialogs = null!;

    public async ValueTask InitializeAsync()
    {
        _harness = await CouponHarness.CreateAsync();
        var scope = new MerchantScope();
        scope.UseMerchant(_harness.Merchant.Id, "admin@coupons.test");
        Services.AddSingleton(scope);
        Services.AddSingleton<IDbContextFactory<MerchantDbContext>>(new MerchantDbContextFactory(_harness.Database.Contexts, scope));
        Services.AddSingleton<TimeProvider>(_harness.Database.Clock);
        Services.AddSingleton(Options.Create(_harness.Options));
        Services.AddSingleton<ICouponCodeRandom, SecureCouponCodeRandom>();
        Services.AddScoped<CouponTemplateService>();
        Services.AddScoped<ActivityService>();
        Services.AddScoped<CouponRedemption>();
        Services.AddScoped<CouponPageQueries>();
        Services.AddScoped<AuditHistory>();
        Services.AddScoped<CurrentStaff>();
        AddAuthorization().SetAuthorized("admin@coupons.test").SetRoles(StaffRoles.MerchantAdmin);
        Render<MudBlazor.MudPopoverProvider>();
        _dialogs = Render<MudBlazor.MudDialogProvider>();
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await base.DisposeAsync();
        await _harness.DisposeAsync();
    }

    [Fact]
    public async Task TheDesignerShowsEachRefusalUnderItsFieldThenPublishes()
    {
        var cut = Render<CouponTemplateDesignerPage>();
        cut.WaitForAssertion(() => cut.Find("[data-testid=coupon-name]"), Patience);

        Type(cut, "coupon-name", "满100减20");
        cut.Find("[data-testid=coupon-save-draft]").Click();
        cut.WaitForAssertion(() => Assert.Contains("A cash-off coupon takes a positive amount off.", FieldText(cut, "coupon-face-value")), Patience);

        Type(cut, "coupon-face-value", "20");
        Type(cut, "coupon-code-prefix", "ab-1");
        cut.Find("[data-testid=coupon-save-draft]").Click();
        cut.WaitForAssertion(() =>
        {
            Assert.Contains("A code prefix is at most 8 letters or digits.", FieldText(cut, "coupon-code-prefix"));
            Assert.DoesNotContain("positive amount", FieldText(cut, "coupon-face-value"));
        }, Patience);

        Type(cut, "coupon-stock", "10");
        Type(cut, "coupon-per-member", "11");
        Type(cut, "coupon-code-length", "8");
        cut.Find("[data-testid=coupon-save-draft]").Click();
        cut.WaitForAssertion(() => Assert.Contains("than the stock (10)", FieldText(cut, "coupon-per-member")), Patience);
        Assert.Empty(await _harness.AllAsync<CouponTemplate>());

        Type(cut, "coupon-per-member", "1");
        Type(cut, "coupon-code-prefix", "spring");
        cut.WaitForAssertion(() => Assert.StartsWith("SPRING", cut.Find("[data-testid=coupon-sample-code] code").TextContent), Patience);
        cut.Find("[data-testid=coupon-publish]").Click();
        _dialogs.WaitForAssertion(() => Assert.Contains("cannot be changed", _dialogs.Markup), Patience);
        _dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Publish").Click();

        var template = await WaitForAsync(async () => (await TemplatesAsync()).SingleOrDefault());
        var version = Assert.Single(template.Versions);
        Assert.Equal(CouponTemplateVersionStatus.Published, version.Status);
        Assert.Equal((2000L, 10, 1, "SPRING", 8), (version.FaceValueMinorUnits!.Value, version.TotalStock!.Value, version.PerMemberLimit!.Value, version.CodePrefix, version.CodeLength));
        var navigation = Services.GetRequiredService<NavigationManager>();
        cut.WaitForAssertion(() => Assert.EndsWith(CouponsSetup.TemplateUrl(template.Id), navigation.Uri), Patience);
    }

    [Fact]
    public async Task ACodeScannedWithTheCameraIsLookedUpLikeATypedOneAndARefusedCameraSaysToType()
    {
        var module = JSInterop.SetupModule(CodeScanner.ModulePath);
        module.Setup<bool>("supported").SetResult(true);
        module.SetupVoid("start", _ => true).SetVoidResult();
        var couponActivityId = await _harness.EffectiveCouponActivityAsync();
        var member = await _harness.EnrolAsync(phone: "13800138002", name: "李雷");
        var coupon = await _harness.IssueAsync(couponActivityId, member.MembershipId);
        var cut = Render<RedeemPage>();
        cut.WaitForAssertion(() => cut.Find("[data-testid=redeem-scan]"), Patience);

        cut.Find("[data-testid=redeem-scan]").Click();
        cut.WaitForAssertion(() => Assert.Single(module.Invocations["start"]), Patience);
        var scanner = cut.FindComponent<CodeScanner>();
        await cut.InvokeAsync(() => scanner.Instance.Scanned(coupon.Code.ToLowerInvariant()));

        cut.WaitForAssertion(() =>
        {
            Assert.Equal(coupon.Code, cut.Find("[data-testid=redeem-coupon-code]").TextContent);
            Assert.Contains("李雷", cut.Find("[data-testid=redeem-member]").TextContent);
        }, Patience);

        cut.Find("[data-testid=redeem-scan]").Click();
        await cut.InvokeAsync(() => scanner.Instance.ScanFailed("NotAllowedError"));
        cut.WaitForAssertion(() => Assert.Contains("type the code instead", cut.Find("[data-testid=redeem-scan-problem]").TextContent), Patience);
    }

    [Fact]
    public void WhereTheBrowserCannotDecodeCodesThereIsNoScanButtonAndTypingWorksAsBefore()
    {
        var module = JSInterop.SetupModule(CodeScanner.ModulePath);
        module.Setup<bool>("supported").SetResult(false);
        var cut = Render<RedeemPage>();

        cut.WaitForAssertion(() => Assert.Single(module.Invocations["supported"]), Patience);
        Assert.NotNull(cut.Find("[data-testid=redeem-code]"));
        Assert.Empty(cut.FindAll("[data-testid=redeem-scan]"));
    }

    [Fact]
    public async Task TheRedeemPageLooksUpATypedCodeRedeemsItRefusesItTheSecondTimeAndReversesWithAReason()
    {
        var couponActivityId = await _harness.EffectiveCouponActivityAsync();
        var member = await _harness.EnrolAsync(phone: "13800138001", name: "王小明");
        var coupon = await _harness.IssueAsync(couponActivityId, member.MembershipId);
        var typed = $" {coupon.Code[..4].ToLowerInvariant()}-{coupon.Code[4..]} ";
        var cut = Render<RedeemPage>();
        cut.WaitForAssertion(() => cut.Find("[data-testid=redeem-code]"), Patience);

        Type(cut, "redeem-code", typed);
        cut.WaitForAssertion(() => Assert.False(cut.Find("[data-testid=redeem-lookup]").HasAttribute("disabled")), Patience);
        cut.Find("[data-testid=redeem-lookup]").Click();
        cut.WaitForAssertion(() =>
        {
            Assert.Equal(coupon.Code, cut.Find("[data-testid=redeem-coupon-code]").TextContent);
            Assert.Contains("20.00 off", cut.Find("[data-testid=redeem-coupon-value]").TextContent);
            Assert.Contains("100.00", cut.Find("[data-testid=redeem-minimum]").TextContent);
            Assert.Contains($"王小明 · {CardNumbers.Display(member.CardNumber!)}", cut.Find("[data-testid=redeem-member]").TextContent);
        }, Patience);

        Type(cut, "redeem-order-amount", "150");
        Type(cut, "redeem-store", "s01");
        cut.WaitForAssertion(() => Assert.False(cut.Find("[data-testid=redeem-submit]").HasAttribute("disabled")), Patience);
        cut.Find("[data-testid=redeem-submit]").Click();
        cut.WaitForAssertion(() =>
        {
            Assert.Equal("redeemed", cut.Find("[data-testid=redeem-outcome]").GetAttribute("data-kind"));
            Assert.Contains("20.00", cut.Find("[data-testid=redeem-outcome]").TextContent);
        }, Patience);
        var redeemed = await _harness.CouponAsync(coupon.Id);
        Assert.Equal((CouponStatus.Redeemed, 15000L, "S01"), (redeemed.Status, redeemed.RedeemedOrderMinorUnits!.Value, redeemed.RedeemedStoreCode));

        // The same code again: looked up, it says it was already used, and offers no second redemption.
        cut.Find("[data-testid=redeem-lookup]").Click();
        cut.WaitForAssertion(() =>
        {
            Assert.Contains("already used", cut.Find("[data-testid=redeem-cannot-use]").TextContent);
            Assert.Empty(cut.FindAll("[data-testid=redeem-submit]"));
        }, Patience);

        cut.Find("[data-testid=redeem-reverse]").Click();
        _dialogs.WaitForAssertion(() => _dialogs.Find("[data-testid=reverse-confirm]"), Patience);
        _dialogs.Find("[data-testid=reverse-confirm]").Click();
        _dialogs.WaitForAssertion(() => Assert.Contains("Say why", _dialogs.Markup), Patience);
        TypeIn(_dialogs.Find("[data-testid=reverse-reason]"), "Customer returned the order");
        _dialogs.Find("[data-testid=reverse-confirm]").Click();

        cut.WaitForAssertion(() => Assert.Equal("reversed", cut.Find("[data-testid=redeem-outcome]").GetAttribute("data-kind")), Patience);
        var reversed = await _harness.CouponAsync(coupon.Id);
        Assert.Equal((CouponStatus.Issued, "Customer returned the order"), (reversed.Status, reversed.ReversalReason));
        Assert.Equal(0, (await _harness.CouponActivityAsync(couponActivityId)).Redeemed);
    }

    [Fact]
    public async Task TheActivityPageShowsTheCountsMoveAfterARedemption()
    {
        var couponActivityId = await _harness.EffectiveCouponActivityAsync(budget: 50);
        var coupon = await _harness.IssueAsync(couponActivityId);
        await _harness.IssueAsync(couponActivityId);
        var activityId = (await _harness.AllAsync<Activity>()).Single().Id;
        var cut = Render<ActivityPage>(p => p.Add(x => x.Id, activityId));
        cut.WaitForAssertion(() =>
        {
            Assert.Equal("2", cut.Find("[data-testid=figure-issued]").TextContent);
            Assert.Equal("0", cut.Find("[data-testid=figure-redeemed]").TextContent);
            Assert.NotEmpty(cut.FindAll("[data-testid=coupon-activity-grant]"));
        }, Patience);

        var redeemed = await _harness.Redemption().RedeemAsync(coupon.Code, 20000, "S1", _harness.Now, "clerk@coupons.test");
        Assert.True(redeemed.Succeeded, redeemed.Refusal?.English);
        cut.Find("[data-testid=activity-refresh]").Click();

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("1", cut.Find("[data-testid=figure-redeemed]").TextContent);
            Assert.Equal(0.5.ToString("P1", CultureInfo.CurrentCulture), cut.Find("[data-testid=figure-rate]").TextContent);
        }, Patience);
    }

    [Fact]
    public async Task AnotherMerchantsActivityIsNotFoundOnTheActivityPage()
    {
        await _harness.EffectiveCouponActivityAsync(merchantId: _harness.OtherMerchant.Id);
        var theirs = Assert.Single(await _harness.AllAsync<Activity>());

        var cut = Render<ActivityPage>(p => p.Add(x => x.Id, theirs.Id));

        cut.WaitForAssertion(() => cut.Find("[data-testid=activity-not-found]"), Patience);
        Assert.DoesNotContain(theirs.Name, cut.Markup);
    }

    private static string FieldText<T>(IRenderedComponent<T> cut, string testId) where T : IComponent =>
        cut.Find($"[data-testid={testId}]").Closest(".mud-input-control")?.TextContent ?? cut.Find($"[data-testid={testId}]").ParentElement!.ParentElement!.TextContent;

    private static void Type<T>(IRenderedComponent<T> cut, string testId, string text) where T : IComponent => TypeIn(cut.Find($"[data-testid={testId}]"), text);

    private static void TypeIn(AngleSharp.Dom.IElement element, string text)
    {
        var input = element.TagName is "INPUT" or "TEXTAREA" ? element : element.QuerySelector("input, textarea")!;
        // Immediate fields listen to input, the others to change; blur commits a debounced value.
        try
        {
            input.Input(text);
        }
        catch (MissingEventHandlerException)
        {
            input.Change(text);
        }
        input.Blur();
    }

    private async Task<List<CouponTemplate>> TemplatesAsync()
    {
        await using var db = _harness.Database.Unscoped();
        return await db.CouponTemplates.IgnoreQueryFilters().Include(t => t.Versions).AsNoTracking().ToListAsync();
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe) where T : class
    {
        for (var i = 0; i < 400; i++)
        {
            if (await probe() is { } found)
                return found;
            await Task.Delay(50);
        }
        throw new TimeoutException("The change was not saved.");
    }
}
