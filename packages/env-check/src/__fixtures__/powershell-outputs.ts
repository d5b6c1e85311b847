/**
 * Recorded outputs of Windows PowerShell 5.1:
 * `(Get-WindowsOptionalFeature -Online -FeatureName Microsoft-Hyper-V-All).State` and
 * `Get-VMSwitch | Select-Object Name, SwitchType | ConvertTo-Json`.
 */

export const FEATURE_ENABLED = { stdout: 'Enabled\r\n' };
export const FEATURE_DISABLED = { stdout: 'Disabled\r\n' };
export const FEATURE_ENABLE_PENDING = { stdout: 'EnablePending\r\n' };

/** Without elevation the cmdlet refuses, on stderr, and PowerShell exits 1. */
export const FEATURE_NEEDS_ELEVATION = {
  stderr: `Get-WindowsOptionalFeature : The requested operation requires elevation.
At line:1 char:2
+ (Get-WindowsOptionalFeature -Online -FeatureName Microsoft-Hyper-V-Al ...
+  ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
    + CategoryInfo          : NotSpecified: (:) [Get-WindowsOptionalFeature], COMException
    + FullyQualifiedErrorId : Microsoft.Dism.Commands.GetWindowsOptionalFeatureCommand
 
`,
  exitCode: 1,
};

/** Windows Home has no such feature. */
export const FEATURE_UNKNOWN_ON_HOME = {
  stderr: `Get-WindowsOptionalFeature : Feature name Microsoft-Hyper-V-All is unknown.
At line:1 char:2
+ (Get-WindowsOptionalFeature -Online -FeatureName Microsoft-Hyper-V-Al ...
+  ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
    + CategoryInfo          : NotSpecified: (:) [Get-WindowsOptionalFeature], COMException
    + FullyQualifiedErrorId : Microsoft.Dism.Commands.GetWindowsOptionalFeatureCommand
 
`,
  exitCode: 1,
};

/** One switch: ConvertTo-Json writes an object, SwitchType as the enum's number. */
export const ONE_SWITCH = {
  stdout: `{\r
    "Name":  "Default Switch",\r
    "SwitchType":  1\r
}\r
`,
};

/** Several switches: an array. */
export const THREE_SWITCHES = {
  stdout: `[\r
    {\r
        "Name":  "Default Switch",\r
        "SwitchType":  1\r
    },\r
    {\r
        "Name":  "Primary Virtual Switch",\r
        "SwitchType":  2\r
    },\r
    {\r
        "Name":  "Lab",\r
        "SwitchType":  0\r
    }\r
]\r
`,
};

/** No switch at all: nothing. */
export const NO_SWITCHES = { stdout: '' };

/** PowerShell 7 writes enums as their names when asked to; accept both. */
export const SWITCH_TYPE_AS_NAME = {
  stdout: '\uFEFF{"Name":"Primary Virtual Switch","SwitchType":"External"}\r\n',
};

export const SWITCHES_NEED_ADMIN = {
  stderr: `Get-VMSwitch : You do not have the required permission to complete this task. Contact the administrator of the authorization policy for the computer 'DESKTOP-QED'.
At line:1 char:1
+ Get-VMSwitch | Select-Object Name, SwitchType | ConvertTo-Json
+ ~~~~~~~~~~~~
    + CategoryInfo          : NotSpecified: (:) [Get-VMSwitch], VirtualizationException
    + FullyQualifiedErrorId : Unspecified,Microsoft.HyperV.PowerShell.Commands.GetVMSwitch
 
`,
  exitCode: 1,
};
