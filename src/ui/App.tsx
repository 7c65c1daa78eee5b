import { ExperimentControls } from './controls/ExperimentControls';
import { RunCharts } from './charts/RunCharts';
import { Notices } from './Notices';
import { MaskSummary } from './mask/MaskSummary';
import { RecipeCard } from './results/RecipeCard';
import { BackendBadge } from './run/BackendBadge';
import { RunBar } from './run/RunBar';
import { ShareButton } from './share/ShareButton';

export function App() {
  return (
    <div className="app">
      <header className="app-header">
        <div>
          <h1>ToST Lab</h1>
          <p className="tagline">Train a sparse network two ways on the same mask, weights and batches: default training vs the ToST recipe.</p>
        </div>
        <div className="header-actions">
          <BackendBadge />
          <ShareButton />
        </div>
      </header>
      <Notices />
      <main className="layout">
        <ExperimentControls />
        <section className="results" aria-label="Results">
          <RunBar />
          <div className="recipe-cards">
            <RecipeCard recipe="default" />
            <RecipeCard recipe="tost" />
          </div>
          <MaskSummary />
          <RunCharts />
        </section>
      </main>
    </div>
  );
}
