using MerchantConsole.Account;
using MerchantConsole.Components;
using MerchantConsole.Data;
using MerchantConsole.Features.Benefits;
using MerchantConsole.Features.CardTemplates;
using MerchantConsole.Features.Coupons;
using MerchantConsole.Features.Grants;
using MerchantConsole.Features.Hosted;
using MerchantConsole.Features.Members;
using MerchantConsole.Features.Merchants;
using MerchantConsole.Features.Orders;
using MerchantConsole.Features.Plans;
using MerchantConsole.Features.Plans.Activation;
using MerchantConsole.Features.Staff;
using MerchantConsole.Features.Storefront;
using MerchantConsole.Features.Support;
using MerchantConsole.Jobs;
using MerchantConsole.Localization;
using MerchantConsole.Messaging;
using MerchantConsole.Hosting;
using MerchantConsole.Telemetry;
using MerchantConsole.Workflows;

var builder = WebApplication.CreateBuilder(args);
var contentRoot = builder.Environment.ContentRootPath;

builder.ConfigureConsoleHost();
builder.Services.AddConsoleTelemetry(builder.Configuration, builder.Logging);

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddData(builder.Configuration, contentRoot);
builder.Services.AddAccount();
builder.Services.AddMessaging(builder.Configuration);
builder.Services.AddJobs(builder.Configuration, contentRoot);
builder.Services.AddConsoleLocalization();
builder.Services.AddConsoleUi();
builder.Services.AddStaffSessions(builder.Configuration);
builder.Services.AddCircuitSafety();
builder.Services.AddCardTemplates();
builder.Services.AddWorkflows(builder.Configuration);
builder.Services.AddPlanActivation();
builder.Services.AddSupportConsole();
builder.Services.AddPlanEditing();
builder.Services.AddMembers();
builder.Services.AddStaff(builder.Configuration);
builder.Services.AddMerchants();
builder.Services.AddCoupons();
builder.Services.AddBenefits();
builder.Services.AddGrants();
builder.Services.AddStorefront(builder.Configuration);
builder.Services.AddOrders(builder.Configuration);
builder.Services.AddOrderPages();
builder.Services.AddHosted(builder.Configuration);

var app = builder.Build();

if (MigrateCommand.IsRequested(args))
    return await MigrateCommand.RunAsync(app);

if (await app.PrepareDatabaseAsync())
    await app.PrepareFirstRunAsync();

app.UseSecurityHeaders();
if (!app.Environment.IsDevelopment())
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
// Before the storefront's own problems, which are written after its endpoints have run, in the request's language.
app.UseConsoleLocalization();
app.UseStorefrontApi();
app.UseShippedAssets(contentRoot);
app.UseAuthentication();
app.UseMerchantScope();
app.UseAuthorization();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapJobs();
app.MapConsoleEndpoints();
app.MapStaffSessions();
app.MapCardTemplates();
app.MapWorkflows();
app.MapCoupons();
app.MapMembers();
app.MapBenefits();
app.MapGrants();
app.MapStorefront();
app.MapOrders();
app.MapHosted();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.PrintStartupBanner();

await app.RunAsync();
return 0;

/// <summary>Visible to the test host.</summary>
public partial class Program;
