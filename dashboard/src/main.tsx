import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App, prefetchFirstView } from './app.tsx'
import './styles.css'
import { adoptTokenFromLocation } from './token.ts'

// The stored theme applies before React's first render, so a dark-theme viewer never sees a light flash.
try {
  const theme = localStorage.getItem('trendlens.theme')
  if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme
} catch {
  // Storage disabled: the system preference applies.
}

adoptTokenFromLocation()
prefetchFirstView()

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element')
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
