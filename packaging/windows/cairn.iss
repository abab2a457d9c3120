; Inno Setup 6 script: the Windows installer for Cairn.
;
;   python packaging/build.py                                 (makes dist\cairn\cairn.exe)
;   iscc /DAppVersion=0.1.0 packaging\windows\cairn.iss       (makes dist\Cairn-0.1.0-windows-x64-setup.exe)
;
; Relative paths are relative to this file. Per-machine install into Program Files by default;
; the first page offers an install for the current user only (no administrator rights needed).
; Uninstalling removes the app; conversations and settings in the user's AppData stay.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z packaging\windows\cairn.iss
#endif

#define AppName "Cairn"
#define AppExe "cairn.exe"

[Setup]
; Never change AppId: Windows uses it to find the installed version for upgrades and removal.
AppId={{A2DDDC6E-C40F-4EA9-A1EE-AFD9E745904C}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=The Cairn developers
DefaultDirName={autopf}\{#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
SetupIconFile=..\..\resources\cairn.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
CloseApplications=yes
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
OutputDir=..\..\dist
OutputBaseFilename=Cairn-{#AppVersion}-windows-x64-setup
#if FileExists(AddBackslash(SourcePath) + "..\..\LICENSE")
LicenseFile=..\..\LICENSE
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\..\dist\cairn\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
