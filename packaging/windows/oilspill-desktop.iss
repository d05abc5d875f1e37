; Inno Setup 6 script: the Windows installer of Oil Spill Desktop.
;
; Made by packaging\build.ps1 after PyInstaller has built dist\oilspill-desktop\:
;   iscc /DAppVersion=0.1.0 packaging\windows\oilspill-desktop.iss
; Result: dist\oilspill-desktop-<version>-windows-x64-setup.exe. It installs for the
; current user without administrator rights (or for everyone, if the user chooses and
; may), adds a Start menu entry, and "Open with > Oil Spill Desktop" on .zip files
; without taking zip files away from their usual program.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z oilspill-desktop.iss
#endif
#define AppName "Oil Spill Desktop"
#define AppExe "oilspill-desktop.exe"
#define ProgId "OilSpillDesktop.zip"
#define Root AddBackslash(SourcePath) + "..\.."

[Setup]
; The AppId identifies the product across versions (upgrades, uninstall): never change it.
AppId={{258F2715-9E07-4835-94B8-6C8A8C1EC883}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
ChangesAssociations=yes
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
OutputDir={#Root}\dist
OutputBaseFilename=oilspill-desktop-{#AppVersion}-windows-x64-setup
Compression=lzma2/ultra64
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "russian"; MessagesFile: "compiler:Languages\Russian.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole one-folder bundle: oilspill-desktop.exe (the window), oilspill-desktop-cli.exe
; (process, serve, view and --version from a terminal) and _internal\.
Source: "{#Root}\dist\oilspill-desktop\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; A ProgID that opens a zip in the app, offered under "Open with" for .zip only.
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "{#AppName}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\.zip\OpenWithProgids"; ValueType: none; ValueName: "{#ProgId}"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}"; ValueType: string; ValueName: "FriendlyAppName"; ValueData: "{#AppName}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".zip"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
