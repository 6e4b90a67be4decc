using Microsoft.Extensions.Localization;
using MudBlazor;

namespace MerchantConsole.Localization;

/// <summary>
/// MudBlazor's own strings (pager, date picker, dialogs, grid filters) from MudStrings.zh-CN.resx. MudBlazor's
/// interceptor keeps its built-in English for English and asks this localizer for other cultures, falling back
/// to English for a key we have not translated. Keys are MudBlazor's resource names (e.g. <c>MudDataGridPager_RowsPerPage</c>).
/// </summary>
public sealed class MudStrings(IStringLocalizer<MudStrings> strings) : MudLocalizer
{
    public override LocalizedString this[string key] => strings[key];

    public override LocalizedString this[string key, params object[] arguments] => strings[key, arguments];
}
