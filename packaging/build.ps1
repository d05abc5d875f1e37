<#
.SYNOPSIS
    Build Oil Spill Desktop for Windows: the one-folder bundle and the Inno Setup installer.

.DESCRIPTION
    The PowerShell twin of packaging/build.sh.
    1. PyInstaller makes dist\oilspill-desktop\ (oilspill-desktop.exe, the window, and
       oilspill-desktop-cli.exe for process/serve/view/--version) from
       packaging\oilspill-desktop.spec.
    2. Inno Setup 6 (iscc.exe, on PATH or in its default folder) makes
       dist\oilspill-desktop-<version>-windows-x64-setup.exe from
       packaging\windows\oilspill-desktop.iss.
    3. packaging\figures.py prints the bundle and installer sizes and the start-to-window
       time, checked against the targets (exit status 1 if one is missed, unless
       OILSPILL_TARGETS=report).
    $env:PYTHON picks the interpreter (default .venv\Scripts\python.exe, else python); it
    needs the app's dependencies and PyInstaller (pip install -e ".[build]").

.EXAMPLE
    pwsh packaging\build.ps1
    pwsh packaging\build.ps1 -BundleOnly
#>
param(
    [switch]$BundleOnly,
    [switch]$Clean
)
$ErrorActionPreference = 'Stop'
$Repo = Split-Path -Parent $PSScriptRoot
Set-Location $Repo

if ($env:PYTHON) { $Python = $env:PYTHON }
elseif (Test-Path '.venv\Scripts\python.exe') { $Python = '.venv\Scripts\python.exe' }
else { $Python = 'python' }

$Version = (Select-String -Path 'oilspill_desktop\__init__.py' -Pattern '^__version__ = "(.+)"').Matches[0].Groups[1].Value
$Dist = Join-Path $Repo 'dist'
$Bundle = Join-Path $Dist 'oilspill-desktop'

Write-Host "== PyInstaller: oilspill-desktop $Version"
$timer = [Diagnostics.Stopwatch]::StartNew()
$pyiArgs = @('-m', 'PyInstaller', '--noconfirm', '--log-level', 'WARN', '--distpath', $Dist,
    '--workpath', (Join-Path $Repo 'build\pyinstaller'), 'packaging\oilspill-desktop.spec')
if ($Clean) { $pyiArgs += '--clean' }
& $Python @pyiArgs
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed with exit code $LASTEXITCODE." }
Write-Host ("   bundle built in {0:N0} s: $Bundle" -f $timer.Elapsed.TotalSeconds)

$installers = @()
if (-not $BundleOnly) {
    $iscc = (Get-Command 'iscc.exe' -ErrorAction SilentlyContinue).Source
    if (-not $iscc) { $iscc = Join-Path ${env:ProgramFiles(x86)} 'Inno Setup 6\ISCC.exe' }
    if (-not (Test-Path $iscc)) { throw "Inno Setup 6 is not installed (no iscc.exe); install it or use -BundleOnly." }
    $timer.Restart()
    & $iscc /Qp "/DAppVersion=$Version" 'packaging\windows\oilspill-desktop.iss'
    if ($LASTEXITCODE -ne 0) { throw "Inno Setup failed with exit code $LASTEXITCODE." }
    $setup = Join-Path $Dist "oilspill-desktop-$Version-windows-x64-setup.exe"
    $installers += $setup
    Write-Host ("== installer in {0:N0} s: $setup" -f $timer.Elapsed.TotalSeconds)
}

Write-Host ''
& $Python 'packaging\figures.py' $Bundle @installers
exit $LASTEXITCODE
